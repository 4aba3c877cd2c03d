"""Demo neighbour help: a living street with a few loans (one returned), a favour and an upcoming street party.

``load_help_demo(group_id, organiser, neighbours)`` is called by ``load_demo`` after the groups demo;
``organiser`` is a moderator of that group and ``neighbours`` (at least two; three make a livelier street)
are other active members.
"""

from datetime import timedelta

from api.extensions import db
from api.models import HelpKind, HelpPost, HelpReply, HelpStatus, Rsvp, RsvpResponse, User, utcnow


def load_help_demo(group_id: int, organiser: User, neighbours: list[User]) -> list[HelpPost]:
    if len(neighbours) < 2:
        raise ValueError("the help demo needs at least two neighbours besides the organiser")
    a, b = neighbours[:2]
    c = neighbours[2] if len(neighbours) > 2 else organiser
    now = utcnow()
    day = timedelta(days=1)
    posts = []

    def post(author: User, age: timedelta, **fields) -> HelpPost:
        created = now - age
        item = HelpPost(group_id=group_id, author_id=author.id, created_at=created, updated_at=created, **fields)
        db.session.add(item)
        db.session.flush()
        posts.append(item)
        return item

    def answer(to: HelpPost, author: User, body: str, age: timedelta, accepted: bool = False) -> HelpReply:
        created = now - age
        item = HelpReply(post_id=to.id, author_id=author.id, body=body, created_at=created,
                         accepted_at=created + timedelta(hours=1) if accepted else None)
        db.session.add(item)
        if accepted:
            to.status, to.arranged_with_id = HelpStatus.arranged, author.id
        return item

    drill = post(b, 12 * day, kind=HelpKind.lend_request, title="Klopboor lenen",
                 description="Ik wil een plank ophangen in de schuur; een middag is genoeg.",
                 item="klopboormachine", lend_from=now - 10 * day, lend_until=now - 9 * day)
    answer(drill, c, "Die van mij ligt klaar, kom hem maar halen.", 11 * day, accepted=True)
    drill.returned_at, drill.status, drill.closed_at = now - 9 * day, HelpStatus.done, now - 9 * day

    ladder = post(c, 2 * day, kind=HelpKind.lend_request, title="Ladder nodig voor de dakgoot",
                  description="De dakgoot zit vol bladeren. Wie heeft een lange ladder?",
                  item="ladder (minstens 4 meter)", lend_from=now + day, lend_until=now + 3 * day)
    answer(ladder, a, "Ik heb een ladder van 5 meter, zaterdag kan hij mee.", 2 * day - timedelta(hours=3),
           accepted=True)
    answer(ladder, b, "Anders heeft de buurtvereniging er ook een.", day)

    tent = post(a, 3 * day, kind=HelpKind.lend_offer, title="Partytent te leen",
                description="Een partytent van 3 bij 3 meter, met haringen. Handig voor het straatfeest!",
                item="partytent 3x3", lend_from=now, lend_until=now + 30 * day)
    answer(tent, b, "Mogen wij hem voor het straatfeest gebruiken?", 2 * day)

    plants = post(a, timedelta(hours=5), kind=HelpKind.favour, title="Planten water geven",
                  description="We zijn twee weken weg; wie geeft de tomaten in de achtertuin water?")
    answer(plants, b, "Doe ik graag, ik woon er toch naast.", timedelta(hours=2))

    starts = (now + 12 * day).replace(hour=14, minute=0, second=0, microsecond=0)
    party = post(organiser, 6 * day, kind=HelpKind.event, title="Straatfeest Merelstraat",
                 description="Samen eten, muziek en een springkussen voor de kinderen. Neem een stoel mee!",
                 starts_at=starts, ends_at=starts + timedelta(hours=6), place="Merelstraat, bij het speelveldje",
                 max_participants=60)
    for neighbour, response in ((a, RsvpResponse.going), (b, RsvpResponse.going), (c, RsvpResponse.maybe)):
        if neighbour is not organiser:
            db.session.add(Rsvp(post_id=party.id, user_id=neighbour.id, response=response))
    answer(party, c, "Wij nemen een grote pan soep mee.", 4 * day)

    db.session.flush()
    return posts
