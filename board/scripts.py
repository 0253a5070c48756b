"""Meeting scripts as data: the steps of a Drieluik-bijeenkomst, a FamilieNetwerkBeraad and an
evaluatie-overleg. Each step tells everyone, in plain Dutch, what is asked of them now, shows
one board, and decides who may write on the shared boards (see board.permissions). Every script
starts with "welkom", in which everyone may write: a new meeting is open until it is steered.
"""

from dataclasses import dataclass, field

from .boards import ERGSTE, WENS, get_board
from .roles import Role

# What a professional's screen says during the closed part, instead of the boards: what is
# happening, and that nothing is wrong with the device (the text view says the same).
CLOSED_PART_WAITING: dict[str, str] = {
    "title": "Even wachten",
    "text": "De familie praat nu onder elkaar. Je ziet het bord weer als de gespreksleider "
    "het besloten deel afsluit.",
    "calm": "Er is niets mis met je apparaat of de verbinding.",
}

FAM = frozenset({Role.FAMILIE})
ALL = frozenset({Role.FAMILIE, Role.PROFESSIONAL})
NOBODY: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    ask: str  # what everyone is asked to do now, B1 Dutch
    board: str  # the board everyone looks at
    writers: frozenset[Role] = ALL  # who may write the shared boards (the facilitator always)
    # People write notes for themselves first: a new note on a board with private notes starts
    # as "Eerst alleen voor mij" (kept on the device until posted). Only in the steps that ask
    # for it; in steps where everyone writes together a new note goes on the board.
    private: bool = False
    closed: bool = False  # the closed part: professionals see nothing
    statement: str | None = None  # a question whose answer is written next to a column
    consent: bool = False  # everyone says akkoord / niet akkoord
    bodemeisen: bool = False  # professionals write down the non-negotiable conditions
    # A posting step: "Mijn briefjes plakken" posts the private notes of this zone (whoever
    # may write the board now; the others wait their turn).
    post_zone: str | None = None


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    boards: tuple[str, ...]  # the tabs, in order
    steps: tuple[Step, ...] = field(default=())

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), -1)


DRIELUIK = Script(
    "drieluik",
    "Drieluik-bijeenkomst",
    ("drieluik", "doelen", "plan"),
    (
        Step(
            "welkom",
            "Welkom",
            "Welkom! We maken samen een plan. Iedereen kiest eerst zijn naam. "
            "De gespreksleider vertelt hoe het gaat.",
            "drieluik",
        ),
        Step(
            "zelf-zorgen",
            "Zelf schrijven: als er niks verandert",
            "Hoe is het over 6 maanden als er niks verandert? Schrijf voor jezelf een paar woorden "
            "op, één ding per briefje. Laat ze nog niet aan anderen zien.",
            "drieluik",
            writers=NOBODY,
            private=True,
        ),
        Step(
            "zelf-wensen",
            "Zelf schrijven: hoe willen we het",
            "Hoe wil je dat het over 6 maanden is? Wat gun je jezelf en de anderen? "
            "Schrijf het voor jezelf op, in een andere kleur.",
            "drieluik",
            writers=NOBODY,
            private=True,
        ),
        Step(
            "familie-plakt",
            "Familie plakt links",
            "De familie en het netwerk plakken hun briefjes links op het bord: tik op "
            "'Mijn briefjes links plakken'. Briefjes die bij elkaar horen, hangen we bij elkaar. "
            "De professionals wachten nog even.",
            "drieluik",
            writers=FAM,
            post_zone="zorgen",
        ),
        Step(
            "professionals-plakken",
            "Professionals plakken links",
            "Nu plakken de professionals hun briefjes links. Hoort een briefje bij een groep? "
            "Leg het erbij.",
            "drieluik",
            writers=ALL,
            post_zone="zorgen",
        ),
        Step(
            "bespreken-zorgen",
            "Bespreken: wat is het ergste?",
            "We kijken samen naar de groepen links. Welk thema hoort erbij? "
            "En wat is het ergste dat kan gebeuren?",
            "drieluik",
            statement=ERGSTE.key,
        ),
        Step(
            "familie-plakt-wensen",
            "Familie plakt rechts",
            "De familie en het netwerk plakken hun wensen rechts op het bord: tik op "
            "'Mijn briefjes rechts plakken'. De professionals wachten nog even.",
            "drieluik",
            writers=FAM,
            post_zone="wensen",
        ),
        Step(
            "professionals-plakken-wensen",
            "Professionals plakken rechts",
            "Nu plakken de professionals hun wensen rechts.",
            "drieluik",
            writers=ALL,
            post_zone="wensen",
        ),
        Step(
            "bespreken-wensen",
            "Bespreken: wat is de grootste wens?",
            "We kijken samen naar de wensen. Welke thema's zien we? En wat is de grootste wens?",
            "drieluik",
            statement=WENS.key,
        ),
        Step(
            "plan",
            "Het plan",
            "Hoe komen we van links naar rechts? Wie denkt er mee, wie uit het netwerk nodigen we "
            "uit, welke vragen stellen we aan het netwerk, welke informatie is nodig? "
            "En waar, wanneer en hoe komen we weer bij elkaar? Schrijf het in het midden.",
            "drieluik",
        ),
    ),
)

FAMILIENETWERKBERAAD = Script(
    "familienetwerkberaad",
    "FamilieNetwerkBeraad / Eigen Kracht",
    ("bodemeisen", "doelen", "plan", "drieluik", "familie"),
    (
        Step(
            "welkom",
            "Welkom",
            "Welkom! Iedereen kiest eerst zijn naam. De gespreksleider vertelt hoe de "
            "bijeenkomst gaat.",
            "bodemeisen",
        ),
        Step(
            "informatie-delen",
            "Informatie delen",
            "De professionals vertellen hoe het gaat. Ze vertellen ook wat er hoe dan ook moet "
            "gebeuren: de bodemeisen. Daar valt niet over te praten. Iedereen mag alles vragen.",
            "bodemeisen",
            bodemeisen=True,
        ),
        Step(
            "besloten-deel",
            "Besloten deel: de familie praat onder elkaar",
            "De familie en het netwerk praten nu samen, zonder professionals. Neem de tijd. "
            "Zet de doelen in het plan, met wie wat doet. Kies wie in het actieteam zitten: de "
            "mensen die het plan gaan uitvoeren. De bodemeisen (wat vaststaat) staan erbij. "
            "Wat jullie op het werkblad van de familie zetten, zien de professionals nooit.",
            "doelen",
            writers=FAM,
            closed=True,
        ),
        Step(
            "plan-presenteren",
            "Plan presenteren",
            "De familie vertelt het plan: wat gaan we doen, wie doet wat, en welke hulp is er "
            "nodig van de professionals?",
            "plan",
            writers=FAM,
        ),
        Step(
            "instemming",
            "Akkoord met het plan?",
            "Gaat iedereen akkoord met het plan? Kies op je eigen scherm of op de tablet: "
            "akkoord of niet akkoord. Je mag er iets bij zeggen.",
            "plan",
            writers=NOBODY,
            consent=True,
        ),
    ),
)

EVALUATIE = Script(
    "evaluatie",
    "Evaluatie-overleg",
    ("evaluatie",),
    (
        Step(
            "welkom",
            "Welkom",
            "Welkom! Iedereen kiest eerst zijn naam. We kijken samen hoe het gaat met het plan.",
            "evaluatie",
        ),
        Step("goed", "Wat gaat goed?", "Wat gaat goed? Schrijf het op.", "evaluatie"),
        Step("beter", "Wat kan beter?", "Wat kan beter? Schrijf het op.", "evaluatie"),
        Step(
            "tevreden",
            "Wanneer zijn we tevreden?",
            "Wanneer zijn we tevreden, en wat moet er dan veranderd zijn?",
            "evaluatie",
        ),
        Step(
            "volgende",
            "Wanneer evalueren we?",
            "Wanneer kijken we weer samen hoe het gaat?",
            "evaluatie",
        ),
    ),
)

SCRIPTS: dict[str, Script] = {s.id: s for s in (FAMILIENETWERKBERAAD, DRIELUIK, EVALUATIE)}
DEFAULT_SCRIPT = FAMILIENETWERKBERAAD.id


def get_script(script_id: str) -> Script:
    return SCRIPTS.get(script_id) or SCRIPTS[DEFAULT_SCRIPT]


def neighbour(script: Script, step_id: str, delta: int) -> Step | None:
    """The step before (-1) or after (+1) the given one, or None at either end."""
    i = script.index(step_id)
    j = (i + delta) if i >= 0 else 0
    return script.steps[j] if 0 <= j < len(script.steps) else None


def private_first(step: Step | None, board_id: str) -> bool:
    """Whether a new note on `board_id` starts as "Eerst alleen voor mij" in `step`: only in a
    step where people write for themselves first, and on a board that keeps private notes. In
    every other step (and a step the script does not know) a new note is for everyone."""
    board = get_board(board_id)
    return step is not None and step.private and board is not None and board.private_notes


def client_script(script: Script) -> dict[str, object]:
    return {
        "id": script.id,
        "title": script.title,
        "boards": list(script.boards),
        "steps": [
            {
                "id": s.id,
                "title": s.title,
                "ask": s.ask,
                "board": s.board,
                "private": s.private,
                # The boards on which a new note starts as private in this step.
                "privateFirst": [b for b in script.boards if private_first(s, b)],
                "closed": s.closed,
                "statement": s.statement,
                "consent": s.consent,
                "bodemeisen": s.bodemeisen,
                "postZone": s.post_zone,
            }
            for s in script.steps
        ],
    }
