"""Safety surveys: the questionnaire, residents' waves, anonymous links for non-participants, results."""

from flask import current_app
from flask.views import MethodView

from api import surveys as questionnaire
from api.extensions import Blueprint, db, limiter
from api.resources.paths import id_param
from api.schemas.survey import (
    MySurveysSchema,
    PublicAnswerReceiptSchema,
    PublicAnswerSchema,
    PublicSurveySchema,
    QuestionnaireSchema,
    SurveyAnswerSchema,
    SurveyLinkCreateSchema,
    SurveyLinkSchema,
    SurveyResponseSchema,
    SurveyResultsSchema,
)
from api.services import survey_results, surveys

blp = Blueprint("surveys", __name__, url_prefix="/api/v1", description="Safety surveys before and after joining")


def _public_limit():
    return current_app.config["SURVEY_PUBLIC_RATE_LIMIT"]


@blp.route("/surveys/questionnaire")
class Questionnaire(MethodView):
    @blp.response(200, QuestionnaireSchema)
    def get(self):
        """The current questionnaire (Dutch and English texts)"""
        return questionnaire.questionnaire()


@blp.route(f"/groups/{id_param('group_id')}/surveys")
class GroupSurveys(MethodView):
    @blp.auth_required
    @blp.response(200, MySurveysSchema)
    @blp.errors(403, 404)
    def get(self, group_id):
        """Which survey waves are open to me in this group, and my earlier answers"""
        return surveys.my_surveys(group_id)

    @blp.auth_required
    @blp.arguments(SurveyAnswerSchema)
    @blp.response(201, SurveyResponseSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, group_id):
        """Answer an open wave (any question may be skipped)

        `baseline` is accepted only in the first week of membership (later it is refused with 409, because
        it would no longer measure how safe one felt before joining); `follow_up` only while the 3- or
        12-month round is open. One answer per wave and round.
        """
        response = surveys.submit(group_id, data)
        db.session.commit()
        return response


@blp.route(f"/surveys/responses/{id_param('response_id')}")
class SurveyResponseById(MethodView):
    @blp.auth_required
    @blp.response(204)
    @blp.errors(404)
    def delete(self, response_id):
        """Withdraw my answers (they are erased; the wave is not offered again)"""
        surveys.withdraw(response_id)
        db.session.commit()


@blp.route(f"/groups/{id_param('group_id')}/survey-links")
class SurveyLinks(MethodView):
    @blp.auth_required
    @blp.arguments(SurveyLinkCreateSchema)
    @blp.response(201, SurveyLinkSchema)
    @blp.errors(403, 404)
    def post(self, data, group_id):
        """Make an anonymous survey link for neighbours who are not in the group (moderators, admins)

        Hand it out in the area (flyer, QR code) at one measurement moment; each device answers once per
        link. The token is shown only in this answer.
        """
        link = surveys.create_link(group_id, data)
        db.session.commit()
        return link


@blp.route("/surveys/public/<string:token>")
class PublicSurvey(MethodView):
    decorators = [limiter.limit(_public_limit)]

    @blp.response(200, PublicSurveySchema)
    @blp.errors(404, 429)
    def get(self, token):
        """The questionnaire behind an anonymous link (no account needed)"""
        return surveys.public_survey(token)

    @blp.arguments(PublicAnswerSchema)
    @blp.response(201, PublicAnswerReceiptSchema)
    @blp.errors(404, 409, 429)
    def post(self, data, token):
        """Answer through an anonymous link (no account; one answer per device; nothing personal kept)"""
        response = surveys.submit_public(token, data)
        db.session.commit()
        return {"received": True, "submitted_at": response.submitted_at}


@blp.route(f"/groups/{id_param('group_id')}/survey-results")
class SurveyResults(MethodView):
    @blp.auth_required
    @blp.response(200, SurveyResultsSchema)
    @blp.errors(403, 404)
    def get(self, group_id):
        """Survey results per wave, paired change and difference-in-differences (small cells suppressed)

        For moderators, linked professionals and admins. Any figure based on fewer than 10 respondents is
        given as `suppressed: true, label: "too few"` without numbers.
        """
        access = surveys.results_access(group_id)
        return survey_results.group_results(access.group)
