"""Built-in move choosers for chess match sides: a random mover, our own engine and Stockfish.

The arena engine is plain Python on python-chess so that it runs wherever the site runs,
AWS Lambda included, where no engine binary is available. Stockfish is used only when a
binary can be found (see :func:`stockfish_path`).
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import shutil
import time
from dataclasses import dataclass

import chess
from django.conf import settings

ENGINE_LEVELS: dict[int, str] = {1: "Beginner", 2: "Casual", 3: "Club", 4: "Strong"}
STOCKFISH_SKILLS: dict[int, str] = {0: "Novice", 5: "Intermediate", 10: "Advanced", 20: "Full strength"}

_DEBIAN_STOCKFISH_PATH = "/usr/games/stockfish"


class BotUnavailableError(RuntimeError):
    """The requested bot cannot play here, e.g. no Stockfish binary is installed."""


def random_move(board: chess.Board, rng: random.Random | None = None) -> chess.Move:
    """A legal move chosen uniformly at random."""
    moves = list(board.legal_moves)
    if not moves:
        raise ValueError("There is no legal move in this position.")
    return (rng or random.Random()).choice(moves)


# --- Arena engine -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    depth: int
    quiescence: bool
    time_budget: float
    # Root moves scoring within this many centipawns of the best one are picked at random.
    random_margin: int = 0


_LEVELS: dict[int, _Level] = {
    1: _Level(depth=1, quiescence=False, time_budget=0.5, random_margin=60),
    2: _Level(depth=2, quiescence=False, time_budget=1.0),
    3: _Level(depth=3, quiescence=True, time_budget=1.2),
    4: _Level(depth=4, quiescence=True, time_budget=2.0),
}

_MATE = 100_000
_INFINITY = 1_000_000
# Beyond this many plies of quiescence, check evasions are no longer searched: mutual checks
# with quiet moves could otherwise recurse without end.
_MAX_QUIESCENCE_PLIES = 8
_NODES_PER_CLOCK_CHECK = 512
_MAX_KILLER_PLY = 64
_MAX_HISTORY = 50_000
# Quiescence skips captures that leave the side this far below alpha even if unanswered.
_DELTA_MARGIN = 200
# Any score this close to _MATE is a forced mate found by the search.
_MATE_THRESHOLD = _MATE - 1_000

_PIECE_VALUES = {
    chess.PAWN: 100,
    chess.KNIGHT: 320,
    chess.BISHOP: 330,
    chess.ROOK: 500,
    chess.QUEEN: 900,
    # Never captured; and as a capturer it can only take undefended pieces, so it risks nothing.
    chess.KING: 0,
}
# Game phase weights: 24 with all minor and major pieces on the board, 0 with none.
_PHASE_WEIGHTS = {chess.KNIGHT: 1, chess.BISHOP: 1, chess.ROOK: 2, chess.QUEEN: 4}
_FULL_PHASE = 24

# Piece-square tables of Tomasz Michniewski's "Simplified Evaluation Function", written as
# seen from White with rank 8 on top; _square_table flips them to python-chess indexing.
_PAWN_TABLE = (
    0, 0, 0, 0, 0, 0, 0, 0,
    50, 50, 50, 50, 50, 50, 50, 50,
    10, 10, 20, 30, 30, 20, 10, 10,
    5, 5, 10, 25, 25, 10, 5, 5,
    0, 0, 0, 20, 20, 0, 0, 0,
    5, -5, -10, 0, 0, -10, -5, 5,
    5, 10, 10, -20, -20, 10, 10, 5,
    0, 0, 0, 0, 0, 0, 0, 0,
)  # fmt: skip
_KNIGHT_TABLE = (
    -50, -40, -30, -30, -30, -30, -40, -50,
    -40, -20, 0, 0, 0, 0, -20, -40,
    -30, 0, 10, 15, 15, 10, 0, -30,
    -30, 5, 15, 20, 20, 15, 5, -30,
    -30, 0, 15, 20, 20, 15, 0, -30,
    -30, 5, 10, 15, 15, 10, 5, -30,
    -40, -20, 0, 5, 5, 0, -20, -40,
    -50, -40, -30, -30, -30, -30, -40, -50,
)  # fmt: skip
_BISHOP_TABLE = (
    -20, -10, -10, -10, -10, -10, -10, -20,
    -10, 0, 0, 0, 0, 0, 0, -10,
    -10, 0, 5, 10, 10, 5, 0, -10,
    -10, 5, 5, 10, 10, 5, 5, -10,
    -10, 0, 10, 10, 10, 10, 0, -10,
    -10, 10, 10, 10, 10, 10, 10, -10,
    -10, 5, 0, 0, 0, 0, 5, -10,
    -20, -10, -10, -10, -10, -10, -10, -20,
)  # fmt: skip
_ROOK_TABLE = (
    0, 0, 0, 0, 0, 0, 0, 0,
    5, 10, 10, 10, 10, 10, 10, 5,
    -5, 0, 0, 0, 0, 0, 0, -5,
    -5, 0, 0, 0, 0, 0, 0, -5,
    -5, 0, 0, 0, 0, 0, 0, -5,
    -5, 0, 0, 0, 0, 0, 0, -5,
    -5, 0, 0, 0, 0, 0, 0, -5,
    0, 0, 0, 5, 5, 0, 0, 0,
)  # fmt: skip
_QUEEN_TABLE = (
    -20, -10, -10, -5, -5, -10, -10, -20,
    -10, 0, 0, 0, 0, 0, 0, -10,
    -10, 0, 5, 5, 5, 5, 0, -10,
    -5, 0, 5, 5, 5, 5, 0, -5,
    0, 0, 5, 5, 5, 5, 0, -5,
    -10, 5, 5, 5, 5, 5, 0, -10,
    -10, 0, 5, 0, 0, 0, 0, -10,
    -20, -10, -10, -5, -5, -10, -10, -20,
)  # fmt: skip
_KING_MIDDLEGAME_TABLE = (
    -30, -40, -40, -50, -50, -40, -40, -30,
    -30, -40, -40, -50, -50, -40, -40, -30,
    -30, -40, -40, -50, -50, -40, -40, -30,
    -30, -40, -40, -50, -50, -40, -40, -30,
    -20, -30, -30, -40, -40, -30, -30, -20,
    -10, -20, -20, -20, -20, -20, -20, -10,
    20, 20, 0, 0, 0, 0, 20, 20,
    20, 30, 10, 0, 0, 10, 30, 20,
)  # fmt: skip
_KING_ENDGAME_TABLE = (
    -50, -40, -30, -20, -20, -30, -40, -50,
    -30, -20, -10, 0, 0, -10, -20, -30,
    -30, -10, 20, 30, 30, 20, -10, -30,
    -30, -10, 30, 40, 40, 30, -10, -30,
    -30, -10, 30, 40, 40, 30, -10, -30,
    -30, -10, 20, 30, 30, 20, -10, -30,
    -30, -30, 0, 0, 0, 0, -30, -30,
    -50, -30, -30, -30, -30, -30, -30, -50,
)  # fmt: skip


def _square_tables(table: tuple[int, ...], value: int) -> dict[chess.Color, tuple[int, ...]]:
    """Material plus placement for each square, indexed by python-chess square, per colour."""
    white = tuple(value + table[square ^ 56] for square in chess.SQUARES)
    black = tuple(value + table[square] for square in chess.SQUARES)
    return {chess.WHITE: white, chess.BLACK: black}


_PIECE_TABLES: dict[chess.PieceType, dict[chess.Color, tuple[int, ...]]] = {
    chess.PAWN: _square_tables(_PAWN_TABLE, _PIECE_VALUES[chess.PAWN]),
    chess.KNIGHT: _square_tables(_KNIGHT_TABLE, _PIECE_VALUES[chess.KNIGHT]),
    chess.BISHOP: _square_tables(_BISHOP_TABLE, _PIECE_VALUES[chess.BISHOP]),
    chess.ROOK: _square_tables(_ROOK_TABLE, _PIECE_VALUES[chess.ROOK]),
    chess.QUEEN: _square_tables(_QUEEN_TABLE, _PIECE_VALUES[chess.QUEEN]),
}
_KING_MIDDLEGAME = _square_tables(_KING_MIDDLEGAME_TABLE, 0)
_KING_ENDGAME = _square_tables(_KING_ENDGAME_TABLE, 0)


def _material_and_placement(board: chess.Board) -> int:
    """Material plus piece placement of everything but the kings, from White's point of view."""
    score = 0
    white = board.occupied_co[chess.WHITE]
    for piece_type, tables in _PIECE_TABLES.items():
        white_table = tables[chess.WHITE]
        black_table = tables[chess.BLACK]
        for square in chess.scan_forward(
            board.pieces_mask(piece_type, chess.WHITE) | board.pieces_mask(piece_type, chess.BLACK)
        ):
            if white >> square & 1:
                score += white_table[square]
            else:
                score -= black_table[square]
    return score


def _king_placement(board: chess.Board) -> int:
    """King placement from White's point of view, blended from middlegame to endgame tables."""
    phase = min(
        _FULL_PHASE,
        chess.popcount(board.knights | board.bishops)
        + 2 * chess.popcount(board.rooks)
        + 4 * chess.popcount(board.queens),
    )
    score = 0
    for color, sign in ((chess.WHITE, 1), (chess.BLACK, -1)):
        king = board.king(color)
        if king is not None:
            middlegame = _KING_MIDDLEGAME[color][king]
            endgame = _KING_ENDGAME[color][king]
            score += sign * (middlegame * phase + endgame * (_FULL_PHASE - phase))
    return score // _FULL_PHASE


def _material_delta(board: chess.Board, move: chess.Move) -> int:
    """How ``move`` changes :func:`_material_and_placement`; call it before pushing the move."""
    color = board.turn
    from_square = move.from_square
    to_square = move.to_square
    piece_type = board.piece_type_at(from_square)
    delta = 0
    if piece_type == chess.KING:
        # The king itself is scored by _king_placement, but castling also moves a rook.
        if board.is_castling(move):
            back_rank = from_square & 56
            if chess.square_file(to_square) > chess.square_file(from_square):
                rook_from, rook_to = back_rank + 7, back_rank + 5
            else:
                rook_from, rook_to = back_rank, back_rank + 3
            rook_table = _PIECE_TABLES[chess.ROOK][color]
            delta = rook_table[rook_to] - rook_table[rook_from]
            return delta if color == chess.WHITE else -delta
    elif piece_type is not None:
        delta += _PIECE_TABLES[move.promotion or piece_type][color][to_square]
        delta -= _PIECE_TABLES[piece_type][color][from_square]
    captured = board.piece_type_at(to_square)
    if captured is not None and captured != chess.KING:
        delta += _PIECE_TABLES[captured][not color][to_square]
    elif piece_type == chess.PAWN and to_square == board.ep_square and board.is_en_passant(move):
        captured_square = to_square - 8 if color == chess.WHITE else to_square + 8
        delta += _PIECE_TABLES[chess.PAWN][not color][captured_square]
    return delta if color == chess.WHITE else -delta


def _evaluate(board: chess.Board, material: int) -> int:
    """Static evaluation in centipawns from the side to move's point of view."""
    if not (board.pawns | board.rooks | board.queens) and chess.popcount(board.knights | board.bishops) <= 1:
        return 0  # a lone minor piece cannot mate
    score = material + _king_placement(board)
    return score if board.turn == chess.WHITE else -score


class _OutOfTimeError(Exception):
    pass


_PositionKey = tuple[int, int, int, int, int, int, int, int, bool, int, int | None]


def _position_key(board: chess.Board) -> _PositionKey:
    # Cheaper than a Zobrist hash in pure Python, and exact.
    en_passant = board.ep_square
    # python-chess keeps the square after every double step; like the repetition rules, count it
    # only when a pawn stands ready to capture (pins aside, which are too rare to pay for).
    if en_passant is not None and not (
        chess.BB_PAWN_ATTACKS[not board.turn][en_passant] & board.pawns & board.occupied_co[board.turn]
    ):
        en_passant = None
    return (
        board.pawns,
        board.knights,
        board.bishops,
        board.rooks,
        board.queens,
        board.kings,
        board.occupied_co[chess.WHITE],
        board.occupied_co[chess.BLACK],
        board.turn,
        board.castling_rights,
        en_passant,
    )


_EXACT, _LOWER_BOUND, _UPPER_BOUND = 0, 1, 2
# depth searched, kind of bound, score (mates counted from this node), best move
_TableEntry = tuple[int, int, int, chess.Move]


def _to_table(score: int, ply: int) -> int:
    # Mate scores are stored as distance from the node, not from the root, so they stay
    # right when the same position turns up at another ply.
    if score >= _MATE_THRESHOLD:
        return score + ply
    if score <= -_MATE_THRESHOLD:
        return score - ply
    return score


def _from_table(score: int, ply: int) -> int:
    if score >= _MATE_THRESHOLD:
        return score - ply
    if score <= -_MATE_THRESHOLD:
        return score + ply
    return score


class _Search:
    """One move decision: iterative deepening principal variation search with alpha-beta pruning."""

    def __init__(self, board: chess.Board, level: _Level, rng: random.Random) -> None:
        self.board = board
        self.level = level
        self.rng = rng
        self.deadline = math.inf
        self.nodes = 0
        self.completed_depth = 0
        self.table: dict[_PositionKey, _TableEntry] = {}
        self.killers: list[list[chess.Move]] = [[] for _ in range(_MAX_KILLER_PLY)]
        self.history: dict[tuple[int, int], int] = {}
        self.keys = self._reversible_history(board)
        self.root_index = len(self.keys) - 1
        self.material = _material_and_placement(board)

    @staticmethod
    def _reversible_history(board: chess.Board) -> list[_PositionKey]:
        """Keys of the positions a repetition could still return to, the current one last."""
        replay = board.copy()
        keys: list[_PositionKey] = []
        for _ in range(min(board.halfmove_clock, len(replay.move_stack))):
            replay.pop()
            keys.append(_position_key(replay))
        keys.reverse()
        keys.append(_position_key(board))
        return keys

    def choose(self) -> chess.Move:
        board = self.board
        moves = list(board.generate_legal_moves())
        if not moves:
            raise ValueError("There is no legal move in this position.")
        if len(moves) == 1:
            return moves[0]
        # Shuffling first lets the stable sort break ties differently from game to game.
        self.rng.shuffle(moves)
        self._order(moves, None, 0, checks=True)

        started = time.perf_counter()
        budget_end = started + self.level.time_budget
        best_move = moves[0]
        for depth in range(1, self.level.depth + 1):
            iteration_started = time.perf_counter()
            # The first iteration always completes, so there is always a searched move to play.
            self.deadline = math.inf if depth == 1 else budget_end
            try:
                scores = self._search_root(moves, depth)
            except _OutOfTimeError:
                # The board copy is left somewhere down the abandoned line; it is not used again.
                break
            self.completed_depth = depth
            best_score = max(score for score, _ in scores)
            best_move = next(move for score, move in scores if score == best_score)
            if self.level.random_margin and depth == self.level.depth:
                margin = self.level.random_margin
                best_move = self.rng.choice([move for score, move in scores if score >= best_score - margin])
            if abs(best_score) >= _MATE_THRESHOLD:
                break  # a forced mate, for or against, is not going to change with depth
            moves.remove(best_move)
            moves.insert(0, best_move)
            now = time.perf_counter()
            # A deeper iteration costs several times the last one: do not start one bound to be cut off.
            if depth > 1 and now + 3 * (now - iteration_started) > budget_end:
                break
        return best_move

    def _search_root(self, moves: list[chess.Move], depth: int) -> list[tuple[int, chess.Move]]:
        """Scores of the root moves: exact for the best one, upper bounds for the others."""
        board = self.board
        # Picking among near-best moves needs every score exact, so no pruning at the root there.
        exact = bool(self.level.random_margin)
        alpha = -_INFINITY
        scores: list[tuple[int, chess.Move]] = []
        for index, move in enumerate(moves):
            material = self.material + _material_delta(board, move)
            board.push(move)
            self.keys.append(_position_key(board))
            if exact or index == 0:
                score = -self._negamax(depth - 1, -_INFINITY, _INFINITY, 1, material)
            else:
                score = -self._negamax(depth - 1, -alpha - 1, -alpha, 1, material)
                if score > alpha:
                    score = -self._negamax(depth - 1, -_INFINITY, -alpha, 1, material)
            self.keys.pop()
            board.pop()
            scores.append((score, move))
            alpha = max(alpha, score)
        return scores

    def _tick(self) -> None:
        self.nodes += 1
        if self.nodes % _NODES_PER_CLOCK_CHECK == 0 and time.perf_counter() > self.deadline:
            raise _OutOfTimeError

    def _is_repetition_or_fifty_moves(self) -> bool:
        clock = self.board.halfmove_clock
        if clock >= 100:
            return True
        if clock < 4:
            return False
        keys = self.keys
        key = keys[-1]
        first = max(len(keys) - 1 - clock, 0)
        if key not in keys[first:-1]:
            return False
        # Repeating a position of the search once is a draw already, as the opponent can keep
        # repeating it; a position of the game so far must already have occurred twice. Counting
        # a single earlier occurrence there would score whole lines as draws that are not.
        if key in keys[max(first, self.root_index + 1) : -1]:
            return True
        return keys[first : self.root_index + 1].count(key) >= 2

    def _negamax(self, depth: int, alpha: int, beta: int, ply: int, material: int) -> int:
        self._tick()
        board = self.board
        if self._is_repetition_or_fifty_moves():
            return 0
        if depth <= 0:
            if self.level.quiescence:
                return self._quiesce(alpha, beta, ply, 0, material)
            if board.is_check() and not any(board.generate_legal_moves()):
                return -_MATE + ply
            return _evaluate(board, material)

        key = self.keys[-1]
        entry = self.table.get(key)
        known_best = None
        if entry is not None:
            entry_depth, bound, stored, known_best = entry
            if entry_depth >= depth:
                score = _from_table(stored, ply)
                if (
                    bound == _EXACT
                    or (bound == _LOWER_BOUND and score >= beta)
                    or (bound == _UPPER_BOUND and score <= alpha)
                ):
                    return score

        moves = list(board.generate_legal_moves())
        if not moves:
            return -_MATE + ply if board.is_check() else 0
        self._order(moves, known_best, ply, checks=depth >= 2)

        original_alpha = alpha
        best_score = -_INFINITY
        best_move = moves[0]
        for index, move in enumerate(moves):
            child_material = material + _material_delta(board, move)
            board.push(move)
            self.keys.append(_position_key(board))
            if index == 0:
                score = -self._negamax(depth - 1, -beta, -alpha, ply + 1, child_material)
            else:
                # Principal variation search: prove the move is no better than the best so far
                # with a null window, and search it properly only when that fails.
                score = -self._negamax(depth - 1, -alpha - 1, -alpha, ply + 1, child_material)
                if alpha < score < beta:
                    score = -self._negamax(depth - 1, -beta, -alpha, ply + 1, child_material)
            self.keys.pop()
            board.pop()
            if score > best_score:
                best_score = score
                best_move = move
                if score > alpha:
                    alpha = score
                    if alpha >= beta:
                        self._remember_cutoff(move, depth, ply)
                        break

        if best_score <= original_alpha:
            bound = _UPPER_BOUND
        elif best_score >= beta:
            bound = _LOWER_BOUND
        else:
            bound = _EXACT
        self.table[key] = (depth, bound, _to_table(best_score, ply), best_move)
        return best_score

    def _quiesce(self, alpha: int, beta: int, ply: int, quiescence_ply: int, material: int) -> int:
        """Search captures (and check evasions) until the position is quiet."""
        self._tick()
        board = self.board
        stand_pat: int | None = None
        if board.is_check() and quiescence_ply < _MAX_QUIESCENCE_PLIES:
            moves = list(board.generate_legal_moves())
            if not moves:
                return -_MATE + ply
            best_score = -_INFINITY
        else:
            # The side to move is not forced to capture, so the static score is a lower bound.
            stand_pat = best_score = _evaluate(board, material)
            if stand_pat >= beta:
                return stand_pat
            alpha = max(alpha, stand_pat)
            moves = list(board.generate_legal_captures())
            pawns = board.pawns & board.occupied_co[board.turn]
            quiet_promotions = board.generate_legal_moves(pawns, chess.BB_BACKRANKS & ~board.occupied)
            moves += [move for move in quiet_promotions if move.promotion == chess.QUEEN]
        self._order(moves, None, ply, checks=False)

        for move in moves:
            if (
                stand_pat is not None
                and not move.promotion
                and self._is_futile_capture(move, stand_pat, alpha)
            ):
                continue
            child_material = material + _material_delta(board, move)
            board.push(move)
            score = -self._quiesce(-beta, -alpha, ply + 1, quiescence_ply + 1, child_material)
            board.pop()
            if score > best_score:
                best_score = score
                if score > alpha:
                    alpha = score
                    if alpha >= beta:
                        break
        return best_score

    def _is_futile_capture(self, move: chess.Move, stand_pat: int, alpha: int) -> bool:
        """Captures that cannot raise alpha even if unanswered, or that give up the capturer for less."""
        board = self.board
        victim = _PIECE_VALUES[board.piece_type_at(move.to_square) or chess.PAWN]  # None: en passant
        if stand_pat + victim + _DELTA_MARGIN <= alpha:
            return True
        attacker = _PIECE_VALUES[board.piece_type_at(move.from_square) or chess.PAWN]
        return attacker > victim and board.is_attacked_by(not board.turn, move.to_square)

    def _remember_cutoff(self, move: chess.Move, depth: int, ply: int) -> None:
        if self.board.is_capture(move) or move.promotion:
            return
        if ply < _MAX_KILLER_PLY:
            killers = self.killers[ply]
            if move not in killers:
                killers.insert(0, move)
                del killers[2:]
        key = (move.from_square, move.to_square)
        self.history[key] = min(self.history.get(key, 0) + depth * depth, _MAX_HISTORY)

    def _order(
        self, moves: list[chess.Move], best_move: chess.Move | None, ply: int, *, checks: bool
    ) -> None:
        """Sort moves best first: known best, captures by MVV-LVA, promotions, killers, checks, history."""
        board = self.board
        killers = self.killers[ply] if ply < _MAX_KILLER_PLY else []
        history = self.history

        def priority(move: chess.Move) -> int:
            if move == best_move:
                return 1_000_000
            score = 0
            if board.is_capture(move):
                victim = board.piece_type_at(move.to_square) or chess.PAWN  # None: en passant
                attacker = board.piece_type_at(move.from_square) or chess.PAWN
                score = 200_000 + 10 * _PIECE_VALUES[victim] - _PIECE_VALUES[attacker]
            if move.promotion:
                score += 100_000 + _PIECE_VALUES[move.promotion]
            if score:
                return score
            if move in killers:
                return 90_000
            if checks and board.gives_check(move):
                return 80_000
            return history.get((move.from_square, move.to_square), 0)

        moves.sort(key=priority, reverse=True)


def engine_move(board: chess.Board, level: int, *, rng: random.Random | None = None) -> chess.Move:
    """The arena engine's move at ``level`` (a key of :data:`ENGINE_LEVELS`); the board is left untouched."""
    if level not in _LEVELS:
        raise ValueError(f"Unknown engine level {level!r}; expected one of {sorted(_LEVELS)}.")
    return _Search(board.copy(), _LEVELS[level], rng or random.Random()).choose()


# --- Stockfish ----------------------------------------------------------------------------


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def stockfish_path() -> str | None:
    """Where the Stockfish binary is: settings.STOCKFISH_PATH, then the PATH, then Debian's spot."""
    configured = getattr(settings, "STOCKFISH_PATH", "") or ""
    if configured and _is_executable(configured):
        return configured
    found = shutil.which("stockfish")
    if found:
        return found
    if _is_executable(_DEBIAN_STOCKFISH_PATH):
        return _DEBIAN_STOCKFISH_PATH
    return None


def stockfish_move(
    board: chess.Board, skill: int, *, time_limit: float = 0.1, path: str | None = None
) -> chess.Move:
    """Stockfish's move at "Skill Level" ``skill`` (0-20), thinking for ``time_limit`` seconds."""
    if not 0 <= skill <= 20:
        raise ValueError(f"Stockfish skill must be between 0 and 20, not {skill!r}.")
    if not any(board.generate_legal_moves()):
        raise ValueError("There is no legal move in this position.")
    if path is None:
        path = stockfish_path()
        if path is None:
            raise BotUnavailableError(
                "Stockfish is not installed: set STOCKFISH_PATH or put a stockfish binary on the PATH."
            )
    elif not _is_executable(path):
        raise BotUnavailableError(f"Stockfish was not found at {path!r}.")
    # Lazy, for cold start: chess.engine (asyncio subprocess machinery) serves Stockfish only.
    import chess.engine

    try:
        engine = chess.engine.SimpleEngine.popen_uci(path)
    except (OSError, chess.engine.EngineError) as error:
        raise BotUnavailableError(f"Stockfish at {path!r} could not be started: {error}") from error
    try:
        engine.configure({"Skill Level": skill})
        result = engine.play(board, chess.engine.Limit(time=time_limit))
    finally:
        # An engine that crashed has nothing left to quit; its own error is the one to report.
        with contextlib.suppress(chess.engine.EngineTerminatedError):
            engine.quit()
    if result.move is None:
        raise BotUnavailableError("Stockfish returned no move.")
    return result.move
