"""Meeting scripts as data: the steps of a Drieluik-bijeenkomst, a FamilieNetwerkBeraad, an
evaluatie-overleg and a startbespreking. Each step tells everyone, in plain Dutch, what is asked
of them now, shows one board, and decides who may write on the shared boards (see
board.permissions). Every script starts with "welkom", in which everyone may write: a new
meeting is open until it is steered.
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
    # The part of the step's board this step is about (a topic or question of `afspraken`):
    # the board shows it first, marked, and the TV shows only that part.
    focus: str | None = None


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    boards: tuple[str, ...]  # the tabs, in order
    steps: tuple[Step, ...] = field(default=())
    # The plan shows "Hoe staat het ervoor?" on every goal and action: behaald, loopt, loopt
    # niet (board/plan.py PROGRESS). In an evaluation; elsewhere only marks already made show.
    progress: bool = False

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

# The evaluatie-overleg (seed 003, advies 8): how it goes with you, with us and with the child;
# the plan's goals and actions, each marked behaald / loopt / loopt niet; then the seed's
# questions. A meeting that follows on from an earlier one (server/meetings.py follow_on)
# brings the plan, the agreements and the people along.
EVALUATIE = Script(
    "evaluatie",
    "Evaluatie-overleg",
    ("evaluatie", "plan", "afspraken", "mensen"),
    (
        Step(
            "welkom",
            "Welkom",
            "Welkom! Iedereen kiest eerst zijn naam. We kijken samen hoe het gaat: met jou, "
            "met ons samen en met het kind.",
            "evaluatie",
        ),
        Step(
            "voortgang",
            "Hoe staat het plan ervoor?",
            "We kijken samen naar de doelen en de acties in het plan. Is het behaald, loopt "
            "het, of loopt het niet? Tik het aan bij elk doel en elke actie.",
            "plan",
        ),
        Step(
            "afspraken",
            "Lopen de afspraken goed?",
            "We kijken naar de afspraken over bezoek en contact. Gaat het zoals we hadden "
            "afgesproken? Moet er iets veranderen?",
            "afspraken",
            focus="contact",
        ),
        Step("goed", "Wat gaat goed?", "Wat gaat goed? Schrijf het op.", "evaluatie"),
        Step("beter", "Wat kan beter?", "Wat kan beter? Schrijf het op.", "evaluatie"),
        Step(
            "tevreden",
            "Wanneer zijn we tevreden?",
            "Wanneer zijn we tevreden de volgende keer, en wat moet er dan veranderd zijn?",
            "evaluatie",
        ),
        Step(
            "volgende",
            "Wanneer evalueren we?",
            "Wanneer kijken we weer samen hoe het gaat? Schrijf het op, en zet de datum ook "
            "in het plan.",
            "evaluatie",
        ),
    ),
    progress=True,
)

# The boards that map the network (toolkit chapter 2), in the order the startbespreking shows
# them as tabs after the people: only those the meeting has (board/boards.py).
MAPPING_TABS: tuple[str, ...] = (
    "mensen",
    "ecogram",
    "sociogram",
    "genogram",
    "steuntabel",
    "vipkaart",
    "levenslijn",
    "netwerkvragen",
)

# The start of a placement (seed 004, Bijlage 2: the agenda of the startbespreking; seed 003,
# advies 1: the questions parents, foster parents and professionals ask each other). The
# network is mapped first; the agreements go on the board `afspraken` and into the plan.
STARTBESPREKING = Script(
    "startbespreking",
    "Startbespreking pleegzorg",
    (*(b for b in MAPPING_TABS if get_board(b) is not None), "plan", "afspraken"),
    (
        Step(
            "welkom",
            "Welkom",
            "Welkom! Iedereen kiest eerst zijn naam. De gespreksleider vertelt waarom we hier "
            "zijn en hoe het gesprek gaat.",
            "mensen",
        ),
        Step(
            "netwerk",
            "Wie horen erbij?",
            "Wie zijn belangrijk voor het kind? Zet ze op het bord: familie, vrienden, buren, "
            "school en hulpverleners. Ook wie er vandaag niet bij is.",
            "mensen",
        ),
        Step(
            "netwerkkaart",
            "Wie staan dichtbij?",
            "Zet iedereen op de kaart van het kind. Wie dichtbij staat, komt in de binnenste "
            "cirkel. Wie wat verder weg staat, in de buitenste.",
            "ecogram",
        ),
        Step(
            "steun",
            "Wie geeft welke steun?",
            "Welke steun geeft iedereen? Niet iedereen hoeft alles te doen. Kies per persoon "
            "hoeveel steun die geeft.",
            "steuntabel",
        ),
        Step(
            "perspectief",
            "Perspectief",
            "De verwijzer vertelt waar het kind gaat opgroeien: terug naar huis, of in het "
            "pleeggezin? En voor hoe lang? Iedereen mag vragen stellen.",
            "afspraken",
            focus="perspectief",
        ),
        Step(
            "kind",
            "Hoe gaat het met het kind?",
            "De ouders, de verwijzer en de pleegouders vertellen hoe het nu met het kind gaat. "
            "Wat heeft het kind nodig? Schrijf dat als doelen in het plan.",
            "plan",
        ),
        Step(
            "bezoek",
            "Bezoek en contact",
            "Hoe vaak zien of spreken het kind en zijn ouders en familie elkaar? Op bezoek, "
            "met de telefoon, met mail of met foto's? Is er iemand bij? Schrijf het op.",
            "afspraken",
            focus="contact",
        ),
        Step(
            "vertellen",
            "Wat vertellen we het kind?",
            "Wat weet het kind al over waarom het in een pleeggezin woont? Wat vertellen we het "
            "kind nog, en wie doet dat?",
            "afspraken",
            focus="vertellen",
        ),
        Step(
            "samenwerken",
            "Wie doet wat?",
            "Vraag het elkaar: Wat heb jij van mij nodig? Wie neemt de regie? "
            "Wie neemt beslissingen? Schrijf de antwoorden op.",
            "afspraken",
            focus="samenwerking",
        ),
        Step(
            "afspraken",
            "Afspraken in het plan",
            "Welke afspraken maken we nog? Bijvoorbeeld over school, geld, vakanties en wanneer "
            "het kind verhuist. Wie doet wat, en wanneer?",
            "afspraken",
            focus="anders",
        ),
        Step(
            "samenvatting",
            "Samenvatting",
            "De gespreksleider leest alle afspraken voor. Klopt alles? Mist er iets? "
            "Heeft iemand nog een vraag?",
            "afspraken",
        ),
        Step(
            "evaluatie",
            "Wanneer evalueren we?",
            "Wanneer kijken we samen hoe het gaat? Kies de datum voor de eerste evaluatie en "
            "zet die in het plan.",
            "plan",
        ),
    ),
)

SCRIPTS: dict[str, Script] = {
    s.id: s for s in (FAMILIENETWERKBERAAD, DRIELUIK, EVALUATIE, STARTBESPREKING)
}
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
        "progress": script.progress,
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
                "focus": s.focus,
            }
            for s in script.steps
        ],
    }
