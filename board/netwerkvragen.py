"""Netwerkvragen (toolkit 2.10): questions that help the conversation about the network.

The toolkit's twenty questions to map the network, and its questions per kind of support.
They are a prompt list next to any mapping board: whoever uses the ecogram or the steuntabel
reads them, and the facilitator puts one question at a time on the TV (board/screen.py,
`Screen.question`). Who comes up at a question can be noted with it.

The document (board `netwerkvragen`): `answers`, id -> {question, person, text, createdAt}: a
person from `mensen` (by id) named at a question, or a few words.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    explain: str
    questions: tuple[tuple[str, str], ...]  # (id, text)


def _numbered(prefix: str, texts: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((f"{prefix}{i}", text) for i, text in enumerate(texts, start=1))


GROUPS: tuple[Group, ...] = (
    Group(
        "netwerk",
        "Wie horen er bij je netwerk?",
        "Twintig vragen om samen te ontdekken wie er belangrijk zijn.",
        _numbered(
            "n",
            (
                "Wie vindt het belangrijk dat het goed met uw zoon of dochter gaat?",
                "Is er iemand aan wie je persoonlijke dingen vertelt?",
                "Wie kun je vragen om te helpen als er iets kapot is? Of als je ergens heen "
                "moet en je zit zonder vervoer?",
                "In wie heb je het meest vertrouwen?",
                "Bij wie kun je terecht als je verdrietig bent?",
                "Wie zoek je op als je iets te vieren hebt?",
                "Wie vraag je om praktische hulp?",
                "Wie geeft jou emotionele steun?",
                "Welke mensen steunen jou?",
                "Wie zorgde er vroeger voor jou?",
                "Wie zijn er allemaal belangrijk voor jou?",
                "Met wie bel of app je vaak?",
                "Wie staat er dichtbij jou?",
                "Zijn er mensen die je nu niet meer ziet, maar die vroeger belangrijk voor je "
                "waren?",
                "Zijn er mogelijkheden in je netwerk? Denk aan vrienden, familie, clubjes of de "
                "kerk.",
                "Wie kunnen er meedenken?",
                "Wie komt er op je verjaardag?",
                "Wie zou je willen dat er komt op je verjaardag?",
                "In wie heb je vertrouwen?",
                "Met wie kun je praten?",
            ),
        ),
    ),
    Group(
        "emotioneel",
        "Emotionele steun",
        "Iemand die luistert en er voor je is.",
        _numbered(
            "emotioneel-",
            (
                "Is er iemand die je kunt bellen als je je verdrietig voelt?",
                "Bij wie heb je het gevoel dat hij of zij jou goed begrijpt?",
                "Wie moedigt je aan als je het even niet meer ziet zitten?",
                "Wie helpt jou als je ergens boos over bent?",
            ),
        ),
    ),
    Group(
        "cognitief",
        "Cognitieve steun",
        "Iemand die uitleg geeft en met je meedenkt.",
        _numbered(
            "cognitief-",
            (
                "Aan wie denk je als eerste als je iets niet weet? En wie nog meer?",
                "Over welke dingen heb je vragen? Vraag je het aan verschillende mensen, "
                "afhankelijk van de vraag?",
                "Is er iemand die je dingen uitlegt als je iets niet snapt?",
                "Zijn er mensen die je hun mening geven over wat er gebeurt?",
            ),
        ),
    ),
    Group(
        "waardering",
        "Waardering",
        "Iemand die laat merken dat je ertoe doet.",
        _numbered(
            "waardering-",
            (
                "Zijn er mensen die je wel eens een compliment geven? Wie zijn dat?",
                "Wie in jouw omgeving vraagt jou om advies?",
                "Wie waardeert jouw hulp?",
                "Wie houdt er goed rekening met jou?",
            ),
        ),
    ),
    Group(
        "normatief",
        "Normatieve steun",
        "Iemand op wie je kunt bouwen bij afspraken en keuzes.",
        _numbered(
            "normatief-",
            (
                "Op wie kun je vertrouwen als je afspraken maakt?",
                "Met wie uit je netwerk zou je meer willen afspreken?",
                "Zijn er mensen die je advies geven over wat je moet doen?",
            ),
        ),
    ),
    Group(
        "sociaal",
        "Sociale steun",
        "Iemand met wie je het gezellig hebt.",
        _numbered(
            "sociaal-",
            (
                "Met wie kun je iets gezelligs doen?",
                "Wie heb je graag op bezoek?",
                "Van wie krijg je wel eens een kaartje?",
                "Bij wie zou je graag op bezoek gaan, of wie zou je vaker willen zien?",
                "Van wie zou je willen dat hij of zij vaker bij jou op bezoek komt?",
            ),
        ),
    ),
    Group(
        "praktisch",
        "Materiële en praktische steun",
        "Iemand die helpt met spullen, vervoer of een klus.",
        _numbered(
            "praktisch-",
            (
                "Wie helpt je als je iets praktisch moet regelen?",
                "Wie zou je vragen om te helpen met boodschappen of aankopen?",
                "Wie helpt je als je ergens naartoe moet?",
                "Wie helpt jou om dingen op orde te krijgen?",
                "Wie kun je bellen als er iets ergs gebeurt?",
                "Wie zou kunnen helpen met oppassen, of iets dergelijks?",
            ),
        ),
    ),
)

QUESTIONS: dict[str, str] = {qid: text for g in GROUPS for qid, text in g.questions}
QUESTION_IDS: tuple[str, ...] = tuple(QUESTIONS)
ANSWER_TEXT_MAX = 200

EXPLAIN = (
    "Vragen die helpen om te ontdekken wie er belangrijk zijn, en wie kan helpen. Wie komt er "
    "bij een vraag in je op? Zet die persoon erbij."
)
LAYOUT: dict[str, object] = {
    "groups": [
        {
            "id": g.id,
            "title": g.title,
            "explain": g.explain,
            "questions": [{"id": qid, "text": text} for qid, text in g.questions],
        }
        for g in GROUPS
    ],
    "onScreen": "Op het scherm",
}


def is_question(value: object) -> bool:
    return isinstance(value, str) and value in QUESTIONS


def neighbour(question: str | None, delta: int) -> str | None:
    """The question after (+1) or before (-1) this one, in the list's order; the first one
    when none is given; None past either end."""
    if question not in QUESTIONS:
        return QUESTION_IDS[0] if delta > 0 else None
    i = QUESTION_IDS.index(str(question)) + delta
    return QUESTION_IDS[i] if 0 <= i < len(QUESTION_IDS) else None


def group_of(question: str) -> Group | None:
    return next((g for g in GROUPS if any(q == question for q, _ in g.questions)), None)
