// Which view draws a board: by its kind (board/boards.py, Board.kind), from the board's own
// description in the page config (zones, layout). A new kind of board adds its view here.
import { BoardView } from './boardview.js'
import { PlanView } from './planview.js'
import { PlanReadView } from './planread.js'
import { PeopleView } from './peopleview.js'

const VIEWS = {
  notes: { write: BoardView, read: BoardView },
  plan: { write: PlanView, read: PlanReadView }, // the TV: the plan as text, nothing to tap
  people: { write: PeopleView, read: PeopleView }
}

// The view class for a board; `readOnly` is the TV's screen.
export function viewFor (board, readOnly) {
  const views = VIEWS[board.kind] || VIEWS.notes
  return readOnly ? views.read : views.write
}
