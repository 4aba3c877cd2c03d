"""Demo reports for one group: one answered within target, one overdue and escalated, with check-ins.

Written straight to the database with back-dated times (the services use "now"), then the sweep's
escalation job runs so the overdue report carries its escalation like in real life.
"""

from datetime import timedelta

from api.extensions import db
from api.models import (
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    FeedbackKind,
    Group,
    Report,
    ReportCategory,
    ReportFeedback,
    ReportStatus,
    ReportTransition,
    Urgency,
    User,
    utcnow,
)
from api.services import events, response_clock
from api.services.report_sweep import escalate_overdue


def load_demo_reports(group_id: int, *, reporter: User, neighbour: User, moderator: User,
                      professional: User) -> list[Report]:
    """Create the demo reports in ``group_id``; the professional must be linked and the moderator moderate it."""
    group = db.session.get(Group, group_id)
    now = utcnow()

    def new_report(minutes_ago: int, author: User, **fields) -> Report:
        filed = now - timedelta(minutes=minutes_ago)
        report = Report(
            group_id=group_id, author_id=author.id, created_at=filed, occurred_at=filed - timedelta(minutes=3),
            feedback_due_at=response_clock.feedback_due_at(filed, group.feedback_target_minutes), **fields,
        )
        db.session.add(report)
        db.session.flush()
        db.session.add(ReportTransition(report_id=report.id, actor_id=author.id, to_status=ReportStatus.open,
                                        created_at=filed))
        events.record("report.created", group_id=group_id, actor_id=author.id, subject_type="report",
                      subject_id=report.id, data={"urgency": report.urgency.value, "category": report.category.value})
        return report

    answered = new_report(
        26 * 60, reporter, category=ReportCategory.suspicious_vehicle, urgency=Urgency.normal,
        description="Een witte bestelbus rijdt al een uur langzaam rondjes door de straat.",
        location_text="Merelstraat 1-21", lat=51.924, lon=4.478, status=ReportStatus.resolved,
        called_112_count=0,
    )
    filed = answered.created_at
    answered.first_feedback_at = filed + timedelta(minutes=6)
    answered.resolved_at = filed + timedelta(minutes=48)
    db.session.add_all([
        ReportFeedback(report_id=answered.id, author_id=professional.id, kind=FeedbackKind.acknowledgement,
                       message="Gezien. Een surveillance-eenheid komt langs.", by_professional=True,
                       created_at=answered.first_feedback_at),
        ReportTransition(report_id=answered.id, actor_id=professional.id, from_status=ReportStatus.open,
                         to_status=ReportStatus.acknowledged, created_at=answered.first_feedback_at),
        CheckIn(group_id=group_id, report_id=answered.id, moderator_id=moderator.id, kind=CheckInKind.doorbell_visit,
                households_reached=7, note="Bij de even nummers aangebeld; niemand anders zag de bus.",
                outcome=CheckInOutcome.reassured, occurred_at=filed + timedelta(minutes=30),
                created_at=filed + timedelta(minutes=30)),
        ReportFeedback(report_id=answered.id, author_id=professional.id, kind=FeedbackKind.outcome,
                       message="De bus is gecontroleerd: een glazenwasser uit de buurt. Dank voor de melding!",
                       by_professional=True, created_at=answered.resolved_at),
        ReportTransition(report_id=answered.id, actor_id=professional.id, from_status=ReportStatus.acknowledged,
                         to_status=ReportStatus.resolved, created_at=answered.resolved_at),
    ])

    overdue = new_report(
        45, neighbour, category=ReportCategory.attempted_burglary, urgency=Urgency.urgent,
        description="Krassen rond het slot van de achterdeur, vannacht niets gehoord.",
        location_text="Lijsterlaan 2-30", status=ReportStatus.open, called_112=True, called_112_count=1,
    )
    db.session.add(CheckIn(
        group_id=group_id, report_id=overdue.id, moderator_id=moderator.id, kind=CheckInKind.street_walk,
        households_reached=3, note="Buren gewaarschuwd om de achterom te sluiten.",
        outcome=CheckInOutcome.information_gathered, occurred_at=now - timedelta(minutes=20),
        created_at=now - timedelta(minutes=20),
    ))
    db.session.add(CheckIn(
        group_id=group_id, moderator_id=moderator.id, kind=CheckInKind.conversation, households_reached=2,
        note="Ronde gelopen, praatje bij de speeltuin.", outcome=CheckInOutcome.nothing_found,
        occurred_at=now - timedelta(days=3), created_at=now - timedelta(days=3),
    ))
    db.session.flush()
    escalate_overdue()
    return [answered, overdue]
