"""Built-in Connect Four players: a random mover, three search levels and a solver.

Pure Python (the site runs on AWS Lambda, where no C extension is shipped). The search is a
negamax with alpha-beta pruning over two integers per position, as Connect Four solvers do:
``current``, the discs of the side to move, and ``mask``, every disc (see games.connect4.rules
for the bit layout). Dropping a disc in a column is ``mask + bottom of the column``, so a move
costs a few integer operations and no object.

Scores are from the side to move's point of view. A won game scores ``WIN - n`` for the winner,
``n`` being the number of discs on the board when the fourth disc of the line drops, so faster
wins score higher and slower losses less badly; being absolute, these scores need no
adjustment when one position turns up at another depth of the search. Every other leaf gets a
heuristic score far below ``WIN - 42``, so a proven result is told apart from a guess.

Every level but the random mover plays an immediate win and blocks an immediate threat before
it searches: those are checked exhaustively at the root, not left to the time budget.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from games.connect4.rules import BOARD_MASK, BOTTOM_MASK, CELLS, HEIGHT, STRIDE, WIDTH, State

# The solver's thinking budget per move, in seconds.
SOLVER_BUDGET = 3.0
_NODES_PER_CLOCK_CHECK = 1024

WIN = 1_000_000
# Any score at least this high is a forced win found by the search (and its negation a loss).
PROVEN = WIN - CELLS - 1
_INFINITY = 10 * WIN

# Centre columns take part in more lines of four: search them first.
CENTRE_FIRST = (3, 2, 4, 1, 5, 0, 6)
_BOTTOM = tuple(1 << (column * STRIDE) for column in range(WIDTH))
_TOP = tuple(1 << (column * STRIDE + HEIGHT - 1) for column in range(WIDTH))
_COLUMN = tuple(((1 << HEIGHT) - 1) << (column * STRIDE) for column in range(WIDTH))

# How many lines of four pass through each cell, bottom row first; a disc on a cell with many
# lines does more for its side.
_LINES_THROUGH = (
    (3, 4, 5, 7, 5, 4, 3),
    (4, 6, 8, 10, 8, 6, 4),
    (5, 8, 11, 13, 11, 8, 5),
    (5, 8, 11, 13, 11, 8, 5),
    (4, 6, 8, 10, 8, 6, 4),
    (3, 4, 5, 7, 5, 4, 3),
)


def _weight_masks() -> tuple[tuple[int, int], ...]:
    """(weight, bitboard of the cells with that weight), so placement is a few popcounts."""
    masks: dict[int, int] = {}
    for row, weights in enumerate(_LINES_THROUGH):
        for column, weight in enumerate(weights):
            masks[weight] = masks.get(weight, 0) | 1 << (column * STRIDE + row)
    return tuple(sorted(masks.items()))


_WEIGHTS = _weight_masks()
# Rows 1, 3 and 5 (counted from 1 at the bottom). The first player profits from threats on odd
# rows and the second from threats on even rows: zugzwang fills the board so that they come due.
_ODD_ROWS = sum(BOTTOM_MASK << row for row in range(0, HEIGHT, 2))
_EVEN_ROWS = BOARD_MASK & ~_ODD_ROWS
_THREAT_VALUE = 24
_PARITY_BONUS = 16


def winning_cells(position: int, mask: int) -> int:
    """The empty cells where a disc would complete a line of four for ``position``."""
    # Vertical: three discs right below the cell.
    cells = (position << 1) & (position << 2) & (position << 3)
    for shift in (STRIDE, HEIGHT, HEIGHT + 2):
        # Two discs on one side of the cell, then the third on either side of the pair.
        pair = (position << shift) & (position << (2 * shift))
        cells |= pair & (position << (3 * shift))
        cells |= pair & (position >> shift)
        pair = (position >> shift) & (position >> (2 * shift))
        cells |= pair & (position << shift)
        cells |= pair & (position >> (3 * shift))
    return cells & (BOARD_MASK ^ mask)


def _playable(mask: int) -> int:
    """The cells a disc can drop into now, one per column with room."""
    return (mask + BOTTOM_MASK) & BOARD_MASK


def _evaluate(current: int, mask: int) -> int:
    """A guess at a position with no forced result in sight, for the side to move."""
    opponent = current ^ mask
    mine = winning_cells(current, mask)
    theirs = winning_cells(opponent, mask)
    score = _THREAT_VALUE * (mine.bit_count() - theirs.bit_count())
    for weight, cells in _WEIGHTS:
        score += weight * ((current & cells).bit_count() - (opponent & cells).bit_count())
    # An even number of discs means the side to move is the first player (Red).
    red_to_move = mask.bit_count() % 2 == 0
    good_mine, good_theirs = (_ODD_ROWS, _EVEN_ROWS) if red_to_move else (_EVEN_ROWS, _ODD_ROWS)
    score += _PARITY_BONUS * ((mine & good_mine).bit_count() - (theirs & good_theirs).bit_count())
    return score


@dataclass(frozen=True)
class Level:
    ref: str
    label: str
    max_depth: int  # plies
    time_budget: float  # seconds
    # Root moves scoring within this much of the best heuristic score are picked at random,
    # which makes the quick level beatable. Proven results are never blurred.
    margin: int = 0


LEVELS: dict[str, Level] = {
    "search:1": Level("search:1", "Search 1 (quick)", max_depth=2, time_budget=0.2, margin=40),
    "search:2": Level("search:2", "Search 2 (careful)", max_depth=6, time_budget=0.5, margin=8),
    "search:3": Level("search:3", "Search 3 (deep)", max_depth=12, time_budget=1.5),
    "solver": Level("solver", "Solver (finds forced wins)", max_depth=CELLS, time_budget=SOLVER_BUDGET),
}


class _OutOfTimeError(Exception):
    pass


_EXACT, _LOWER, _UPPER = 0, 1, 2
# depth searched, kind of bound, score, best column (-1: none)
_Entry = tuple[int, int, int, int]


@dataclass(frozen=True)
class Decision:
    """A chosen column with what the search knew about it."""

    column: int
    score: int
    depth: int  # the deepest iteration that completed (0: decided without a search)
    nodes: int

    @property
    def proven_win(self) -> bool:
        return self.score >= PROVEN


class _Search:
    """One move decision: iterative deepening negamax with a transposition table."""

    def __init__(self, level: Level, rng: random.Random) -> None:
        self.level = level
        self.rng = rng
        self.table: dict[int, _Entry] = {}
        self.nodes = 0
        self.deadline = math.inf

    def choose(self, current: int, mask: int) -> Decision:
        columns = [c for c in range(WIDTH) if not mask & _TOP[c]]
        if not columns:
            raise ValueError("There is no legal move in this position.")
        forced = _forced_root_moves(current, mask, columns)
        if forced is not None:
            return Decision(self.rng.choice(forced[0]), forced[1], 0, 0)

        started = time.perf_counter()
        budget_end = started + self.level.time_budget
        # Centre first; games still differ, as _pick draws among equally good moves.
        columns.sort(key=CENTRE_FIRST.index)
        remaining = CELLS - mask.bit_count()
        decision = Decision(columns[0], 0, 0, 0)
        for depth in range(1, min(self.level.max_depth, remaining) + 1):
            iteration_started = time.perf_counter()
            # The first iteration always completes, so there is always a searched move to play.
            self.deadline = math.inf if depth == 1 else budget_end
            try:
                scores = self._search_root(current, mask, columns, depth)
            except _OutOfTimeError:
                break
            decision = self._pick(scores, depth)
            if abs(decision.score) >= PROVEN:
                break  # a forced result, for or against, does not change with depth
            # The best move first next time: it makes the deeper iteration prune the most.
            columns.remove(decision.column)
            columns.insert(0, decision.column)
            now = time.perf_counter()
            # A deeper iteration costs several times the last one: do not start one bound to be cut off.
            if depth > 1 and now + 2 * (now - iteration_started) > budget_end:
                break
        return decision

    def _pick(self, scores: list[tuple[int, int]], depth: int) -> Decision:
        best = max(score for score, _ in scores)
        margin = self.level.margin if abs(best) < PROVEN else 0
        column = self.rng.choice([column for score, column in scores if score >= best - margin])
        return Decision(column, next(score for score, c in scores if c == column), depth, self.nodes)

    def _search_root(self, current: int, mask: int, columns: list[int], depth: int) -> list[tuple[int, int]]:
        """(score, column) for every root move: exact for those within the margin of the best,
        upper bounds below it for the others."""
        best = -_INFINITY
        scores: list[tuple[int, int]] = []
        for column in columns:
            # Moves within the margin (equal ones at least) need exact scores to be picked among.
            alpha = best - self.level.margin - 1 if best > -_INFINITY else -_INFINITY
            child_mask = mask | (mask + _BOTTOM[column])
            score = -self._negamax(current ^ mask, child_mask, depth - 1, -_INFINITY, -alpha)
            scores.append((score, column))
            best = max(best, score)
        return scores

    def _negamax(self, current: int, mask: int, depth: int, alpha: int, beta: int) -> int:
        """The score of the position for the side to move, ``current`` being its discs."""
        self.nodes += 1
        if self.nodes % _NODES_PER_CLOCK_CHECK == 0 and time.perf_counter() > self.deadline:
            raise _OutOfTimeError
        # No node is reached by a winning move: the parent (or the root) plays a win at once.
        opponent = current ^ mask
        discs = mask.bit_count()
        if discs == CELLS:
            return 0
        playable = _playable(mask)
        if winning_cells(current, mask) & playable:
            return WIN - discs - 1
        threats = winning_cells(opponent, mask)
        forced = threats & playable
        if forced & (forced - 1):
            return -(WIN - discs - 2)  # two threats at once: one of them wins next move
        # A forced block, or any move except those under an opponent's threat cell.
        candidates = forced or (playable & ~(threats >> 1))
        if not candidates:
            return -(WIN - discs - 2)
        if depth <= 0:
            return _evaluate(current, mask)

        key = current + mask  # unique: mask's lowest empty bit of each column marks the heights
        entry = self.table.get(key)
        best_column = -1
        if entry is not None:
            entry_depth, kind, score, best_column = entry
            if entry_depth >= depth:
                if kind == _EXACT:
                    return score
                if kind == _LOWER:
                    alpha = max(alpha, score)
                elif score < beta:
                    beta = score
                if alpha >= beta:
                    return score

        original_alpha = alpha
        best = -_INFINITY
        chosen = -1
        for column in self._ordered(current, mask, candidates, best_column):
            child_mask = mask | (mask + _BOTTOM[column])
            score = -self._negamax(opponent, child_mask, depth - 1, -beta, -alpha)
            if score > best:
                best, chosen = score, column
                if score > alpha:
                    alpha = score
                    if alpha >= beta:
                        break
        if best <= original_alpha:
            kind = _UPPER
        elif best >= beta:
            kind = _LOWER
        else:
            kind = _EXACT
        self.table[key] = (depth, kind, best, chosen)
        return best

    @staticmethod
    def _ordered(current: int, mask: int, candidates: int, first: int) -> list[int]:
        """Columns of ``candidates``: the table's best move, then the moves that make the most
        threats, centre first among equals."""
        ranked: list[tuple[int, int]] = []
        for column in CENTRE_FIRST:
            cell = candidates & _COLUMN[column]
            if cell:
                if column == first:
                    ranked.append((1_000, column))
                else:
                    ranked.append((winning_cells(current | cell, mask | cell).bit_count(), column))
        # sort is stable: equal counts keep the centre-first order
        ranked.sort(key=lambda item: -item[0])
        return [column for _, column in ranked]


def _forced_root_moves(current: int, mask: int, columns: list[int]) -> tuple[list[int], int] | None:
    """The moves the position forces, found without a search: the winning ones, else the one
    blocking an immediate threat. None when the choice is open."""
    playable = _playable(mask)
    discs = mask.bit_count()
    wins = [c for c in columns if winning_cells(current, mask) & playable & _COLUMN[c]]
    if wins:
        return wins, WIN - discs - 1
    threats = winning_cells(current ^ mask, mask) & playable
    blocks = [c for c in columns if threats & _COLUMN[c]]
    if len(blocks) == 1:
        return blocks, 0  # the score is unknown; a search would follow the block anyway
    if len(blocks) > 1:
        # Lost against best play; blocking one threat still beats a careless opponent.
        return blocks, -(WIN - discs - 2)
    return None


def bitboards(state: State) -> tuple[int, int]:
    """(discs of the side to move, every disc) of a rules state."""
    mask = state.red | state.yellow
    return (state.red if len(state.history) % 2 == 0 else state.yellow), mask


def decide(state: State, level: Level, rng: random.Random | None = None) -> Decision:
    """The move of ``level`` in ``state``, with its score; the state is not changed."""
    if state.is_over():
        raise ValueError("The game is over: there is no move to choose.")
    current, mask = bitboards(state)
    return _Search(level, rng or random.Random()).choose(current, mask)


def random_column(state: State, rng: random.Random | None = None) -> int:
    columns = state.legal_columns()
    if not columns:
        raise ValueError("There is no legal move in this position.")
    return (rng or random.Random()).choice(columns)
