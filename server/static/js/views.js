// Which view draws a board: by its kind (board/boards.py, Board.kind), from the board's own
// description in the page config (zones, layout). A new kind of board adds its view here.
import { BoardView } from './boardview.js'
import { PlanView } from './planview.js'
import { PlanReadView } from './planread.js'
import { PeopleView } from './peopleview.js'
import { EcogramView } from './ecogramview.js'
import { SociogramView } from './sociogramview.js'
import { GenogramView } from './genogramview.js'
import { AfsprakenView, AfsprakenReadView } from './afsprakenview.js'
import { SteuntabelView } from './steuntabelview.js'
import { VipView } from './vipview.js'
import { LevenslijnView } from './levenslijnview.js'
import { VragenView } from './vragenview.js'

const VIEWS = {
  notes: { write: BoardView, read: BoardView },
  plan: { write: PlanView, read: PlanReadView }, // the TV: the plan as text, nothing to tap
  people: { write: PeopleView, read: PeopleView },
  rings: { write: EcogramView, read: EcogramView }, // the ecogram (board/networkmap.py)
  sociogram: { write: SociogramView, read: SociogramView },
  genogram: { write: GenogramView, read: GenogramView },
  afspraken: { write: AfsprakenView, read: AfsprakenReadView }, // the agreements (board/afspraken.py)
  'support-table': { write: SteuntabelView, read: SteuntabelView }, // board/steuntabel.py
  vip: { write: VipView, read: VipView }, // the child's VIP-kaart (board/vipkaart.py)
  timeline: { write: LevenslijnView, read: LevenslijnView }, // board/levenslijn.py
  questions: { write: VragenView, read: VragenView } // the netwerkvragen (board/netwerkvragen.py)
}

// The view class for a board; `readOnly` is the TV's screen.
export function viewFor (board, readOnly) {
  const views = VIEWS[board.kind] || VIEWS.notes
  return readOnly ? views.read : views.write
}
