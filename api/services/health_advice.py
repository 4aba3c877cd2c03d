"""Plain-language advice per health indicator and status, drawn from the research in the product brief.

Keyed by indicator, then status (``None`` = not enough data to judge), then locale.
"""

ADVICE: dict[str, dict[str | None, dict[str, str]]] = {
    "charter": {
        "good": {
            "nl": "Het charter is compleet en actueel. Groepen met een duidelijk doel en duidelijke huisregels "
                  "blijven beter op koers.",
            "en": "The charter is complete and up to date. Groups with a clear goal and clear house rules stay "
                  "on course better.",
        },
        "attention": {
            "nl": "De evaluatiedatum van het charter komt dichtbij. Bespreek met de leden of het doel nog klopt.",
            "en": "The charter's review date is close. Talk with the members about whether the goal still fits.",
        },
        "problem": {
            "nl": "Het charter is onvolledig of over de evaluatiedatum. Gemeenten wordt aangeraden groepen bewust "
                  "op te zetten en te toetsen of ze hun doel halen: vul het aan en plan een evaluatie.",
            "en": "The charter is incomplete or past its review date. Municipalities are advised to set groups up "
                  "deliberately and check whether they reach their goals: complete it and plan a review.",
        },
    },
    "moderator_activity": {
        "good": {
            "nl": "De beheerders zijn actief. Een beheerder die na een melding bij de buren aanbelt, maakt van een "
                  "digitale melding echt contact.",
            "en": "The moderators are active. A moderator who rings the neighbours' doorbells after a report "
                  "turns a digital alert into real contact.",
        },
        "attention": {
            "nl": "Er wordt weinig nagelopen na meldingen. Een korte ronde of een belletje na een melding "
                  "stelt buren gerust en haalt informatie op.",
            "en": "Few reports are followed up. A short walk or a call after a report reassures neighbours and "
                  "gathers information.",
        },
        "problem": {
            "nl": "Er is al lang geen check-in geweest. Zonder actieve beheerder wordt een groep een stroom "
                  "alarmberichten; zoek een tweede beheerder of vraag de wijkagent om hulp.",
            "en": "There has been no check-in for a long time. Without an active moderator a group becomes a "
                  "stream of alarms; find a second moderator or ask the community officer for help.",
        },
        None: {
            "nl": "Nog geen meldingen of check-ins om iets over te zeggen.",
            "en": "No reports or check-ins yet to judge by.",
        },
    },
    "professional_feedback": {
        "good": {
            "nl": "Professionals antwoorden op tijd. In Tilburg ging terugkoppeling van de politie binnen tien "
                  "minuten samen met 40% minder inbraken.",
            "en": "Professionals answer on time. In Tilburg, police feedback within ten minutes went with 40% "
                  "fewer burglaries.",
        },
        "attention": {
            "nl": "Niet alle meldingen krijgen op tijd antwoord. Spreek met de gekoppelde professionals af wie "
                  "wanneer reageert.",
            "en": "Not every report is answered in time. Agree with the linked professionals who answers when.",
        },
        "problem": {
            "nl": "Veel meldingen krijgen laat of geen antwoord. In groepen waar professionals laat of nooit "
                  "reageren, voelen mensen zich onveiliger: maak dit bespreekbaar met politie en gemeente.",
            "en": "Many reports are answered late or not at all. In groups where professionals answer late or "
                  "never, people feel less safe: raise this with the police and the municipality.",
        },
        None: {
            "nl": "Geen meldingen in deze periode.",
            "en": "No reports in this period.",
        },
    },
    "neighbour_contact": {
        "good": {
            "nl": "Buren helpen elkaar ook buiten veiligheid om. Wie een ladder leent of een straatfeest "
                  "organiseert, voelt zich veiliger en weet wie hij kan bellen.",
            "en": "Neighbours also help each other beyond safety. People who lend a ladder or plan a street party "
                  "feel safer and know whom to call.",
        },
        "attention": {
            "nl": "Er is weinig burencontact naast meldingen. Nodig uit tot lenen, klusjes of een buurtborrel.",
            "en": "There is little neighbour contact besides reports. Invite lending, small favours or a "
                  "neighbourhood drink.",
        },
        "problem": {
            "nl": "De groep gaat bijna alleen over onveiligheid. Groepen die ander contact afkappen doen het "
                  "slechter: plan een straatfeest of opruimactie.",
            "en": "The group is almost only about danger. Groups that cut off other talk do worse: plan a street "
                  "party or a clean-up.",
        },
    },
    "participation": {
        "good": {
            "nl": "Een groot deel van de leden gebruikt de app.",
            "en": "Most members use the app.",
        },
        "attention": {
            "nl": "Een deel van de leden haakt af of komt niet meer kijken. Vraag wat ze nodig hebben.",
            "en": "Some members drop out or no longer look in. Ask them what they need.",
        },
        "problem": {
            "nl": "Weinig leden zijn nog actief. Een groep werkt alleen als genoeg buren meekijken; werf in de "
                  "straat of overweeg de groep te pauzeren.",
            "en": "Few members are still active. A group only works when enough neighbours take part; recruit in "
                  "the street or consider pausing the group.",
        },
    },
    "feeling_of_safety": {
        "good": {
            "nl": "Deelnemers voelen zich na aansluiten veiliger en ervaren meer samenhang in de buurt.",
            "en": "Participants feel safer after joining and see more cohesion in the neighbourhood.",
        },
        "attention": {
            "nl": "Nog geen duidelijke verandering. Dat is in het eerste jaar gewoon; blijf meten.",
            "en": "No clear change yet. That is common in the first year; keep measuring.",
        },
        "problem": {
            "nl": "Deelnemers voelen zich onveiliger dan voor ze aansloten. Alarmerende berichten zonder "
                  "terugkoppeling kunnen angst vergroten: zorg voor antwoorden en gewoon burencontact.",
            "en": "Participants feel less safe than before joining. Alarming messages without feedback can "
                  "increase fear: make sure reports are answered and ordinary neighbour contact happens.",
        },
        None: {
            "nl": "Te weinig antwoorden op de enquête om iets te zeggen. Deel de enquêtelink ook met buren "
                  "die niet in de groep zitten.",
            "en": "Too few survey answers to say anything. Share the survey link with neighbours outside the "
                  "group too.",
        },
    },
}


def advice(indicator: str, status: str | None, locale: str) -> str:
    texts = ADVICE[indicator].get(status) or ADVICE[indicator]["attention"]
    return texts.get(locale) or texts["en"]
