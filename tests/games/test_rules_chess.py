"""Tests of the arena's pure chess rules (games.chess.rules): outcomes, special moves, the
messages a player sees for a bad move, FEN validation, replaying stored games and PGN export."""

from __future__ import annotations

import datetime as dt
import io

import chess
import chess.pgn
import pytest

from games.chess import GAME as CHESS
from games.chess.rules import (
    STARTING_FEN,
    AmbiguousMoveError,
    ChessGame,
    GameOverError,
    IllegalMoveError,
    InvalidPositionError,
    MoveError,
    Termination,
    UnparseableMoveError,
    color_name,
    outcome_of,
    parse_color,
    pgn_date,
    pgn_termination,
    validate_fen,
)
from games.core import ABORTED, BUDGET, FORFEIT, RESIGNATION, Outcome

FOOLS_MATE = ["f2f3", "e7e5", "g2g4", "d8h4"]
KNIGHT_SHUFFLE = ["g1f3", "g8f6", "f3g1", "f6g8"]  # back to the start position every 4 plies
BACK_RANK_FEN = "6k1/5ppp/8/8/8/8/8/R5K1 w - - 0 1"
CASTLING_FEN = "r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1"
PROMOTION_FEN = "8/4P3/8/8/8/8/k7/4K3 w - - 0 1"
# Black to move; after ...c5 the b5 pawn may not take en passant: that would open the
# fifth rank between the rook on h5 and the white king on a5.
PINNED_EP_FEN = "4k3/2p5/8/KP5r/8/8/8/8 b - - 0 1"
PINNED_BISHOP_FEN = "4k3/4r3/8/8/8/8/4B3/4K3 w - - 0 1"


def play_all(game: ChessGame, moves: list[str]) -> ChessGame:
    for move in moves:
        game.play(move)
    return game


def message_of(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(excinfo.value).lower()


# --- outcomes ------------------------------------------------------------------------------


def test_fools_mate_ends_the_game_with_black_winning_by_checkmate():
    game = play_all(ChessGame(), ["f3", "e5", "g4", "Qh4#"])

    outcome = game.outcome()
    assert outcome == outcome_of(Termination.CHECKMATE, chess.BLACK)
    assert outcome.result == "0-1"
    assert CHESS.describe(outcome) == "Black wins by checkmate"
    assert game.is_over()
    assert game.is_check()
    assert game.legal_moves() == []
    assert game.claimable_draw() is None


def test_a_back_rank_mate_from_a_fen_is_a_white_win():
    game = ChessGame(BACK_RANK_FEN)
    assert game.outcome() is None

    record = game.play("Ra8")

    assert record.san == "Ra8#"
    assert game.outcome() == outcome_of(Termination.CHECKMATE, chess.WHITE)
    assert game.outcome().result == "1-0"
    assert "white wins" in CHESS.describe(game.outcome()).lower()


def test_a_queen_move_that_leaves_black_no_move_and_no_check_is_stalemate():
    game = ChessGame("7k/8/8/6Q1/8/8/8/K7 w - - 0 1")

    game.play("Qg6")

    outcome = game.outcome()
    assert outcome.termination == Termination.STALEMATE
    assert outcome.winner is None
    assert outcome.result == "1/2-1/2"
    assert CHESS.describe(outcome) == "Draw by stalemate"
    assert not game.is_check()


def test_capturing_the_last_rook_leaves_king_against_king_and_draws():
    game = ChessGame("8/8/8/8/k2r4/3K4/8/8 w - - 0 1")

    game.play("Kxd4")

    assert game.outcome() == outcome_of(Termination.INSUFFICIENT_MATERIAL, None)
    assert "insufficient material" in CHESS.describe(game.outcome())


def test_king_and_bishop_against_king_is_a_draw_by_insufficient_material():
    game = ChessGame("8/8/8/8/k2r4/3K4/8/4B3 w - - 0 1")

    game.play("d3d4")

    assert game.board.piece_map().keys() == {chess.A4, chess.D4, chess.E1}
    assert game.outcome().termination == Termination.INSUFFICIENT_MATERIAL
    assert game.outcome().result == "1/2-1/2"


def test_threefold_repetition_can_be_claimed_but_does_not_end_the_game():
    game = ChessGame(moves=KNIGHT_SHUFFLE)
    assert game.claimable_draw() is None  # the start position has occurred only twice

    play_all(game, KNIGHT_SHUFFLE)

    assert game.claimable_draw() == Termination.THREEFOLD_REPETITION
    assert game.outcome() is None
    assert not game.is_over()
    game.play("e4")  # the game goes on if nobody claims
    assert game.ply_count == 9


def test_fivefold_repetition_ends_the_game_by_itself():
    game = ChessGame(moves=KNIGHT_SHUFFLE * 3)
    assert game.outcome() is None

    play_all(game, KNIGHT_SHUFFLE)

    assert game.outcome() == outcome_of(Termination.FIVEFOLD_REPETITION, None)
    assert CHESS.describe(game.outcome()) == "Draw by fivefold repetition"
    assert game.claimable_draw() is None  # nothing to claim once the game is over
    with pytest.raises(GameOverError):
        game.play("e4")


def test_a_quiet_move_at_halfmove_clock_99_makes_the_fifty_move_rule_claimable():
    game = ChessGame("4k3/8/8/8/8/8/8/R3K3 w - - 99 80")

    game.play("Ra2")

    assert game.board.halfmove_clock == 100
    assert game.claimable_draw() == Termination.FIFTY_MOVES
    assert game.outcome() is None
    assert Termination.FIFTY_MOVES.label == "the 50-move rule"


def test_a_pawn_move_at_halfmove_clock_99_resets_the_count_so_no_draw_can_be_claimed():
    game = ChessGame("4k3/8/8/8/8/8/P7/R3K3 w - - 99 80")

    game.play("a3")

    assert game.board.halfmove_clock == 0
    assert game.claimable_draw() is None


def test_the_seventy_five_move_rule_ends_the_game_by_itself():
    game = ChessGame("4k3/8/8/8/8/8/8/R3K3 w - - 149 120")
    assert game.outcome() is None

    game.play("Ra2")

    assert game.outcome() == outcome_of(Termination.SEVENTYFIVE_MOVES, None)
    assert CHESS.describe(game.outcome()) == "Draw by the 75-move rule"
    assert game.is_over()


def test_resignation_has_a_readable_label_and_gives_the_win_to_the_other_side():
    outcome = Outcome.loss(("white", "black"), "black", RESIGNATION)

    assert outcome.result == "1-0"
    assert CHESS.describe(outcome) == "White wins by resignation"


@pytest.mark.parametrize(
    "outcome",
    [
        outcome_of(Termination.CHECKMATE, chess.WHITE),
        Outcome.loss(("white", "black"), "white", RESIGNATION),
        outcome_of(Termination.STALEMATE, None),
        outcome_of(Termination.THREEFOLD_REPETITION, None),
    ],
)
def test_an_outcome_survives_a_round_trip_through_what_a_match_stores(outcome):
    stored = outcome.to_dict()
    back = Outcome.from_stored(
        ("white", "black"),
        termination=stored["termination"],
        winner=stored["winner"],
        result=stored["result"],
    )
    assert back == outcome


def test_an_outcome_dict_names_the_termination_winner_result_and_scores_in_plain_values():
    assert outcome_of(Termination.CHECKMATE, chess.BLACK).to_dict() == {
        "termination": "checkmate",
        "winner": "black",
        "result": "0-1",
        "scores": {"white": 0.0, "black": 1.0},
    }
    assert outcome_of(Termination.FIFTY_MOVES, None).to_dict() == {
        "termination": "fifty_moves",
        "winner": None,
        "result": "1/2-1/2",
        "scores": {"white": 0.5, "black": 0.5},
    }


ARENA_TERMINATIONS = {FORFEIT: "rules infraction", BUDGET: "adjudication", ABORTED: "abandoned"}


def test_every_termination_has_a_label_and_a_standard_pgn_termination():
    for termination in [*Termination, RESIGNATION, FORFEIT, BUDGET, ABORTED]:
        assert CHESS.termination_label(termination)
        assert pgn_termination(termination) == ARENA_TERMINATIONS.get(termination, "normal")


def test_an_aborted_game_has_no_result_and_says_why():
    outcome = Outcome.no_result(("white", "black"), ABORTED)
    assert outcome.result == "*"
    assert CHESS.describe(outcome) == "Aborted: provider error"
    forfeit = Outcome.loss(("white", "black"), "white", FORFEIT)
    assert CHESS.describe(forfeit).startswith("Black wins by forfeit")


def test_side_names_convert_both_ways_and_unknown_sides_are_refused():
    assert color_name(chess.WHITE) == "white"
    assert color_name(chess.BLACK) == "black"
    assert parse_color("white") == chess.WHITE
    assert parse_color("black") == chess.BLACK
    with pytest.raises(ValueError, match="unknown side"):
        parse_color("red")


# --- special moves -------------------------------------------------------------------------


def test_a_pawn_promotes_to_a_queen_with_san():
    game = ChessGame(PROMOTION_FEN)

    record = game.play("e8=Q")

    assert record.uci == "e7e8q"
    assert game.board.piece_at(chess.E8) == chess.Piece(chess.QUEEN, chess.WHITE)


@pytest.mark.parametrize("text", ["e7e8q", "e7e8Q", " e7e8q "])
def test_a_pawn_promotes_to_a_queen_with_uci(text):
    game = ChessGame(PROMOTION_FEN)

    record = game.play(text)

    assert record.san == "e8=Q"
    assert game.board.piece_at(chess.E8) == chess.Piece(chess.QUEEN, chess.WHITE)


@pytest.mark.parametrize("text", ["e8=N", "e7e8n"])
def test_a_pawn_may_under_promote_to_a_knight(text):
    game = ChessGame(PROMOTION_FEN)

    game.play(text)

    assert game.board.piece_at(chess.E8) == chess.Piece(chess.KNIGHT, chess.WHITE)
    assert game.moves == ["e7e8n"]


def test_a_uci_pawn_move_to_the_last_rank_without_a_piece_is_told_it_must_promote():
    game = ChessGame(PROMOTION_FEN)

    with pytest.raises(IllegalMoveError) as excinfo:
        game.play("e7e8")

    assert "must promote" in message_of(excinfo)
    assert "e7e8q" in message_of(excinfo)
    assert game.ply_count == 0


def test_only_a_pawn_can_promote():
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play("g1f3q")

    assert "only a pawn" in message_of(excinfo)


def test_white_castles_kingside_with_san_and_the_rook_jumps_to_f1():
    game = ChessGame(CASTLING_FEN)

    record = game.play("O-O")

    assert record.uci == "e1g1"
    board = game.board
    assert board.piece_at(chess.G1) == chess.Piece(chess.KING, chess.WHITE)
    assert board.piece_at(chess.F1) == chess.Piece(chess.ROOK, chess.WHITE)
    assert board.piece_at(chess.H1) is None


def test_white_castles_queenside_with_san_and_the_rook_jumps_to_d1():
    game = ChessGame(CASTLING_FEN)

    record = game.play("O-O-O")

    assert record.uci == "e1c1"
    board = game.board
    assert board.piece_at(chess.C1) == chess.Piece(chess.KING, chess.WHITE)
    assert board.piece_at(chess.D1) == chess.Piece(chess.ROOK, chess.WHITE)
    assert board.piece_at(chess.A1) is None


def test_black_castles_both_ways_too():
    kingside = play_all(ChessGame(CASTLING_FEN), ["Kf1", "O-O"])
    queenside = play_all(ChessGame(CASTLING_FEN), ["Kf1", "O-O-O"])

    assert kingside.moves[-1] == "e8g8"
    assert queenside.moves[-1] == "e8c8"


def test_castling_is_accepted_in_uci_as_the_king_moving_two_squares():
    game = ChessGame(CASTLING_FEN)

    record = game.play("e1g1")

    assert record.san == "O-O"
    assert game.board.piece_at(chess.F1) == chess.Piece(chess.ROOK, chess.WHITE)


def test_castling_through_an_attacked_square_is_rejected():
    # The black rook on f5 covers f1, which the king would cross; Black can still castle.
    game = ChessGame("4k2r/8/8/5r2/8/8/8/R3K2R w KQk - 0 1")

    with pytest.raises(IllegalMoveError) as san_error:
        game.play("O-O")
    with pytest.raises(IllegalMoveError):
        game.play("e1g1")

    assert "castle" in message_of(san_error)
    assert "white" in message_of(san_error)
    assert "black's turn" not in message_of(san_error)
    game.play("O-O-O")  # the other side is still open
    assert game.moves == ["e1c1"]


def test_castling_out_of_check_is_rejected():
    game = ChessGame("4k3/4r3/8/8/8/8/8/R3K2R w KQ - 0 1")
    assert game.is_check()

    for text in ["O-O", "O-O-O", "e1g1", "e1c1"]:
        with pytest.raises(IllegalMoveError):
            game.play(text)
    assert game.ply_count == 0


def test_castling_is_rejected_after_the_king_has_moved_and_come_back():
    game = play_all(ChessGame(CASTLING_FEN), ["Kd1", "Kd8", "Ke1", "Ke8"])
    assert game.fen().split()[0] == CASTLING_FEN.split()[0]

    with pytest.raises(IllegalMoveError) as excinfo:
        game.play("O-O")
    with pytest.raises(IllegalMoveError):
        game.play("e1c1")

    assert "castle" in message_of(excinfo)


@pytest.mark.parametrize("text", ["exd6", "e5d6"])
def test_en_passant_captures_the_pawn_that_just_moved_two_squares(text):
    game = ChessGame(moves=["e2e4", "a7a6", "e4e5", "d7d5"])

    record = game.play(text)

    assert record.san == "exd6"
    assert record.uci == "e5d6"
    board = game.board
    assert board.piece_at(chess.D5) is None
    assert board.piece_at(chess.D6) == chess.Piece(chess.PAWN, chess.WHITE)


def test_en_passant_is_no_longer_possible_a_move_later():
    game = ChessGame(moves=["e2e4", "a7a6", "e4e5", "d7d5", "h2h3", "h7h6"])

    with pytest.raises(IllegalMoveError):
        game.play("exd6")


@pytest.mark.parametrize("text", ["bxc6", "b5c6"])
def test_en_passant_that_would_expose_the_king_is_rejected_with_a_check_message(text):
    game = ChessGame(PINNED_EP_FEN)
    game.play("c5")

    with pytest.raises(IllegalMoveError) as excinfo:
        game.play(text)

    assert "check" in message_of(excinfo)
    assert game.ply_count == 1


# --- bad move input ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_move_asks_for_a_move(text):
    with pytest.raises(UnparseableMoveError) as excinfo:
        ChessGame().play(text)

    assert "enter a move" in message_of(excinfo)


@pytest.mark.parametrize("text", ["hello", "e9", "Zz4", "E2E4", "e2-e4-e5"])
def test_garbage_is_unparseable_and_the_message_shows_both_notations(text):
    with pytest.raises(UnparseableMoveError) as excinfo:
        ChessGame().play(text)

    assert "san" in message_of(excinfo)
    assert "uci" in message_of(excinfo)


def test_a_very_long_text_is_refused_as_too_long_without_echoing_all_of_it():
    text = "e2e4e7e5g1f3b8c6" * 10

    with pytest.raises(UnparseableMoveError) as excinfo:
        ChessGame().play(text)

    assert "too long" in message_of(excinfo)
    assert len(str(excinfo.value)) < 100


def test_a_uci_move_from_an_empty_square_says_there_is_no_piece():
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play("e3e4")

    assert "no piece" in message_of(excinfo)
    assert "e3" in message_of(excinfo)


def test_moving_the_opponents_piece_in_uci_says_it_is_not_whites():
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play("e7e5")

    assert "not white's" in message_of(excinfo)


def test_a_uci_move_the_piece_cannot_make_names_the_piece_and_both_squares():
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play("g1g3")

    message = message_of(excinfo)
    assert "knight" in message
    assert "g1" in message
    assert "g3" in message
    assert "cannot" in message


def test_a_san_move_no_piece_can_make_is_not_legal_for_white():
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play("Ke2")

    assert "not a legal move" in message_of(excinfo)
    assert "white" in message_of(excinfo)


@pytest.mark.parametrize("text", ["Bd3", "e2d3"])
def test_moving_a_pinned_piece_says_it_would_leave_the_king_in_check(text):
    game = ChessGame(PINNED_BISHOP_FEN)

    with pytest.raises(IllegalMoveError) as excinfo:
        game.play(text)

    assert "check" in message_of(excinfo)
    assert "king" in message_of(excinfo)


def test_an_ambiguous_knight_move_is_rejected_and_names_both_knights():
    game = ChessGame(moves=["d2d4", "d7d5", "g1f3", "g8f6"])

    with pytest.raises(AmbiguousMoveError) as excinfo:
        game.play("Nd2")

    message = message_of(excinfo)
    assert "ambiguous" in message
    assert "b1" in message
    assert "f3" in message
    game.play("Nbd2")  # the disambiguated move is fine
    assert game.moves[-1] == "b1d2"


@pytest.mark.parametrize("text", ["e5", "Nf6"])
def test_a_san_move_that_only_black_could_play_says_it_is_whites_turn(text):
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play(text)

    message = message_of(excinfo)
    assert "black" in message
    assert "white's turn" in message


def test_after_the_game_is_over_every_way_of_moving_raises_game_over():
    game = ChessGame(moves=FOOLS_MATE)

    with pytest.raises(GameOverError) as excinfo:
        game.play("e4")
    with pytest.raises(GameOverError):
        game.play("a2a3")
    with pytest.raises(GameOverError):
        game.parse_move("a3")
    with pytest.raises(GameOverError):
        game.play(chess.Move.from_uci("a2a3"))

    assert "over" in message_of(excinfo)
    assert game.moves == FOOLS_MATE


def test_playing_an_illegal_python_chess_move_is_rejected():
    game = ChessGame()

    with pytest.raises(IllegalMoveError) as excinfo:
        game.play(chess.Move.from_uci("e2e5"))

    assert "e2e5" in message_of(excinfo)
    assert game.ply_count == 0


def test_playing_a_legal_python_chess_move_works_like_text():
    game = ChessGame()

    record = game.play(chess.Move.from_uci("g1f3"))

    assert record.san == "Nf3"
    assert game.moves == ["g1f3"]


@pytest.mark.parametrize("text", ["--", "0000", "Z0", "@@@@"])
def test_passing_with_a_null_move_is_not_allowed(text):
    game = ChessGame()

    with pytest.raises(IllegalMoveError) as excinfo:
        game.play(text)
    with pytest.raises(IllegalMoveError):
        game.play(chess.Move.null())

    assert "pass" in message_of(excinfo)
    assert game.ply_count == 0
    assert game.turn == chess.WHITE


def test_a_uci_move_to_its_own_square_is_an_illegal_move_not_a_crash():
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame().play("e2e2")

    assert "different square" in message_of(excinfo)


def test_every_bad_move_error_is_a_move_error_and_a_value_error():
    for cls in [UnparseableMoveError, IllegalMoveError, AmbiguousMoveError, GameOverError]:
        assert issubclass(cls, MoveError)
    assert issubclass(MoveError, ValueError)


def test_a_rejected_move_leaves_the_game_unchanged():
    game = ChessGame(moves=["e2e4"])
    before = (game.fen(), game.moves, game.sans)

    for text in ["", "xx", "e2e4", "Ke2", "e4e5", "e7e4"]:
        with pytest.raises(MoveError):
            game.play(text)

    assert (game.fen(), game.moves, game.sans) == before


def test_parse_move_reads_san_and_uci_without_playing():
    game = ChessGame()

    assert game.parse_move("Nf3") == chess.Move.from_uci("g1f3")
    assert game.parse_move("g1f3") == chess.Move.from_uci("g1f3")
    assert game.parse_move("  e4 ") == chess.Move.from_uci("e2e4")
    assert game.ply_count == 0


# --- validate_fen --------------------------------------------------------------------------


def test_validate_fen_normalises_whitespace():
    messy = "  rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR \t w  KQkq   -  0 1\n"

    assert validate_fen(messy) == STARTING_FEN


def test_validate_fen_accepts_a_legal_custom_position_unchanged():
    fen = "4k3/8/8/8/8/8/4P3/4K3 w - - 0 1"

    assert validate_fen(fen) == fen


def test_validate_fen_asks_for_a_fen_when_given_only_whitespace():
    with pytest.raises(InvalidPositionError) as excinfo:
        validate_fen("   ")

    assert "paste a fen" in message_of(excinfo)


@pytest.mark.parametrize("text", ["not a fen", "rnbqkbnr/pppppppp w", "9/8/8/8/8/8/8/8 w - - 0 1"])
def test_validate_fen_rejects_garbage_saying_it_is_not_a_valid_fen(text):
    with pytest.raises(InvalidPositionError) as excinfo:
        validate_fen(text)

    assert "not a valid fen" in message_of(excinfo)


@pytest.mark.parametrize(
    ("fen", "key_words"),
    [
        ("8/8/8/8/8/8/8/4K3 w - - 0 1", "black has no king"),
        ("4k3/8/8/8/8/8/8/8 w - - 0 1", "white has no king"),
        ("4k3/8/8/8/8/8/8/3KK3 w - - 0 1", "more than one king"),
        ("P3k3/8/8/8/8/8/8/4K3 w - - 0 1", "first or last rank"),
        ("4k3/8/8/8/8/8/8/4K2p b - - 0 1", "first or last rank"),
        ("4k3/8/8/8/8/8/8/K3R3 w - - 0 1", "not to move is in check"),
        ("4k3/8/8/8/8/8/8/4K3 w KQkq - 0 1", "castling rights"),
    ],
)
def test_validate_fen_rejects_impossible_positions_and_says_why(fen, key_words):
    with pytest.raises(InvalidPositionError) as excinfo:
        validate_fen(fen)

    assert "not legal" in message_of(excinfo)
    assert key_words in message_of(excinfo)


@pytest.mark.parametrize(
    ("fen", "termination"),
    [
        ("rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3", "checkmate"),
        ("7k/8/6Q1/8/8/8/8/K7 b - - 0 1", "stalemate"),
        ("8/8/8/3k4/8/8/8/3KB3 w - - 0 1", "insufficient material"),
        ("4k3/8/8/8/8/8/8/R3K3 w - - 150 120", "75-move rule"),
    ],
)
def test_validate_fen_rejects_a_position_that_is_already_over(fen, termination):
    with pytest.raises(InvalidPositionError) as excinfo:
        validate_fen(fen)

    assert "already over" in message_of(excinfo)
    assert termination in message_of(excinfo)


def test_invalid_position_error_is_a_value_error():
    assert issubclass(InvalidPositionError, ValueError)


# --- replay and history --------------------------------------------------------------------


def test_a_game_replays_stored_uci_moves_and_derives_san_and_fen():
    game = ChessGame(moves=["e2e4", "e7e5", "g1f3"])

    assert game.moves == ["e2e4", "e7e5", "g1f3"]
    assert game.sans == ["e4", "e5", "Nf3"]
    assert game.ply_count == 3
    assert game.turn == chess.BLACK
    assert game.last_move == chess.Move.from_uci("g1f3")
    assert game.fen() == "rnbqkbnr/pppp1ppp/8/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R b KQkq - 1 2"


def test_a_new_game_starts_from_the_standard_position_with_no_moves():
    game = ChessGame()

    assert game.start_fen == STARTING_FEN
    assert game.fen() == STARTING_FEN
    assert game.moves == []
    assert game.sans == []
    assert game.ply_count == 0
    assert game.last_move is None
    assert game.turn == chess.WHITE
    assert len(game.legal_moves()) == 20
    assert game.outcome() is None


def test_a_game_replays_stored_moves_from_a_custom_start_position():
    game = ChessGame(PINNED_EP_FEN, ["c7c5", "a5a4"])

    assert game.start_fen == PINNED_EP_FEN
    assert game.sans == ["c5", "Ka4"]
    assert game.turn == chess.BLACK


@pytest.mark.parametrize("moves", [["e2e4", "e2e4"], ["e2e5"], ["e7e5"], ["0000"], ["e2e2"], ["zz"]])
def test_replaying_an_illegal_stored_move_is_rejected(moves):
    with pytest.raises(IllegalMoveError) as excinfo:
        ChessGame(moves=moves)

    assert "stored move" in message_of(excinfo)
    assert moves[-1] in message_of(excinfo)


def test_play_returns_a_record_of_the_ply():
    game = ChessGame(moves=["e2e4"])

    record = game.play("c5")

    assert record.number == 2
    assert record.uci == "c7c5"
    assert record.san == "c5"
    assert record.color == chess.BLACK
    assert record.fen == game.fen()


def test_a_check_is_marked_in_san_and_reported_by_is_check():
    game = ChessGame(moves=["e2e4", "f7f6"])

    record = game.play("Qh5")

    assert record.san == "Qh5+"
    assert game.is_check()


def test_board_at_gives_the_position_after_a_number_of_plies_and_clamps_out_of_range():
    moves = ["e2e4", "e7e5", "g1f3", "b8c6"]
    game = ChessGame(moves=moves)
    after_two = chess.Board()
    after_two.push_uci("e2e4")
    after_two.push_uci("e7e5")

    assert game.board_at(0).fen() == STARTING_FEN
    assert game.board_at(2).fen() == after_two.fen()
    assert game.board_at(4).fen() == game.fen()
    assert game.board_at(99).fen() == game.fen()
    assert game.board_at(-3).fen() == STARTING_FEN


def test_board_at_starts_from_the_custom_start_position():
    game = ChessGame(PINNED_EP_FEN, ["c7c5"])

    assert game.board_at(0).fen() == PINNED_EP_FEN
    assert game.board_at(1).fen() == game.fen()


def test_the_board_property_is_a_copy_that_can_be_mutated_freely():
    game = ChessGame(moves=["e2e4"])

    board = game.board
    board.push_san("e5")
    board.clear()

    assert game.moves == ["e2e4"]
    assert game.ply_count == 1
    assert game.board.piece_at(chess.E4) == chess.Piece(chess.PAWN, chess.WHITE)


def test_the_move_lists_are_copies():
    game = ChessGame(moves=["e2e4"])

    game.moves.append("e7e5")
    game.sans.append("e5")

    assert game.moves == ["e2e4"]
    assert game.sans == ["e4"]


def test_repr_shows_the_start_fen_and_the_moves():
    game = ChessGame(moves=["e2e4"])

    text = repr(game)

    assert text.startswith("ChessGame(")
    assert STARTING_FEN in text
    assert "['e2e4']" in text


# --- PGN -----------------------------------------------------------------------------------

HEADERS = {
    "Event": "Arena duel",
    "Site": "https://arena.example",
    "Date": pgn_date(dt.datetime(2024, 5, 17, 13, 45)),
    "White": "model-a",
    "Black": "model-b",
}


def read_pgn(text: str) -> chess.pgn.Game:
    game = chess.pgn.read_game(io.StringIO(text))
    assert game is not None
    assert not game.errors
    return game


def test_pgn_date_uses_the_pgn_dotted_format():
    assert pgn_date(dt.datetime(2024, 5, 7)) == "2024.05.07"


def test_a_finished_game_exports_to_pgn_with_headers_result_and_an_outcome_comment():
    game = ChessGame(moves=FOOLS_MATE)

    pgn = game.to_pgn(HEADERS, game.outcome(), CHESS.describe(game.outcome()))

    for header in [
        '[Event "Arena duel"]',
        '[Site "https://arena.example"]',
        '[Date "2024.05.17"]',
        '[White "model-a"]',
        '[Black "model-b"]',
        '[Result "0-1"]',
        '[Termination "normal"]',
    ]:
        assert header in pgn
    assert "Black wins by checkmate." in pgn
    assert "SetUp" not in pgn
    assert pgn.rstrip().endswith("0-1")


def test_a_finished_game_pgn_parses_back_to_the_same_moves_and_outcome():
    game = ChessGame(moves=FOOLS_MATE)

    parsed = read_pgn(game.to_pgn(HEADERS, game.outcome(), CHESS.describe(game.outcome())))

    assert [move.uci() for move in parsed.mainline_moves()] == FOOLS_MATE
    assert parsed.headers["Result"] == "0-1"
    assert parsed.headers["White"] == "model-a"
    assert parsed.end().comment == "Black wins by checkmate."
    assert parsed.end().board().is_checkmate()


def test_a_running_game_exports_with_an_unknown_result_and_unterminated():
    game = ChessGame(moves=["e2e4", "e7e5"])

    pgn = game.to_pgn(HEADERS, None)

    assert '[Result "*"]' in pgn
    assert '[Termination "unterminated"]' in pgn
    assert "{" not in pgn  # no outcome comment
    parsed = read_pgn(pgn)
    assert [move.uci() for move in parsed.mainline_moves()] == ["e2e4", "e7e5"]


def test_a_game_from_a_custom_position_exports_setup_and_fen_headers_and_replays():
    game = ChessGame(PINNED_EP_FEN, ["c7c5", "a5a4", "h5h1"])

    pgn = game.to_pgn(HEADERS, None)

    assert '[SetUp "1"]' in pgn
    assert f'[FEN "{PINNED_EP_FEN}"]' in pgn
    parsed = read_pgn(pgn)
    assert parsed.board().fen() == PINNED_EP_FEN
    assert [move.uci() for move in parsed.mainline_moves()] == game.moves
    assert parsed.end().board().fen() == game.fen()


def test_a_drawn_game_pgn_records_a_draw_and_names_the_reason():
    game = ChessGame(moves=KNIGHT_SHUFFLE * 4)

    pgn = game.to_pgn({"Event": "Repetition"}, game.outcome(), CHESS.describe(game.outcome()))

    assert '[Result "1/2-1/2"]' in pgn
    assert "Draw by fivefold repetition." in pgn
    assert '[Site "?"]' in pgn  # headers that were not given keep PGN's placeholders
    assert read_pgn(pgn).headers["Result"] == "1/2-1/2"


def test_a_resigned_game_pgn_carries_the_resignation():
    game = ChessGame(moves=["e2e4"])

    resigned = Outcome.loss(("white", "black"), "black", RESIGNATION)
    pgn = game.to_pgn(HEADERS, resigned, CHESS.describe(resigned))

    assert '[Result "1-0"]' in pgn
    assert "White wins by resignation." in pgn
