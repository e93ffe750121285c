"""The tolerant reader of LLM chess replies (games.chess.reply), on top of llm.answers.

The corpus below is written for this project in the styles models really answer in: terse
moves, verbose reasoning ending in "**Final answer:**", "I'll play ...", JSON, \\boxed{},
deliberation over several candidates, lowercase, castling and promotion spellings, and replies
that are illegal, ambiguous, for the wrong side, or name no move at all.

Each case is (fen, reply, expected UCI or None, expected kind, word the reason must contain).
"""

from __future__ import annotations

import chess
import pytest

from games.chess.reply import ChessReader, ParsedReply, parse_reply, read_reply
from llm.answers import MoveReader, Reading, RejectKind

# --- positions ----------------------------------------------------------------------------
START = chess.STARTING_FEN
# 1. e4: Black to move.
E4_B = "rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1"
# 1. e4 e5: White to move, Qh5 and Bc4 available.
E4E5_W = "rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2"
# Italian game, 1. e4 e5 2. Nf3 Nc6 3. Bc4 Bc5: White to move, O-O legal.
ITALIAN_W = "r1bqk1nr/pppp1ppp/2n5/2b1p3/2B1P3/5N2/PPPP1PPP/RNBQK2R w KQkq - 4 4"
# ... 4. c3: Black to move; Bxf2+ legal, O-O not (g8 knight in the way).
ITALIAN_B = "r1bqk1nr/pppp1ppp/2n5/2b1p3/2B1P3/2P2N2/PP1P1PPP/RNBQK2R b KQkq - 0 4"
# Both sides developed, White may castle either way.
CASTLE_W = "r3k2r/pppq1ppp/2npbn2/2b1p3/2B1P3/2NPBN2/PPPQ1PPP/R3K2R w KQkq - 4 8"
# The same after 8. h3: Black may castle either way.
CASTLE_B = "r3k2r/pppq1ppp/2npbn2/2b1p3/2B1P3/2NPBN1P/PPPQ1PP1/R3K2R b KQkq - 0 8"
# 1. d4 Nf6 2. Nf3 e6: knights on b1 and f3 can both go to d2.
AMBIG_W = "rnbqkb1r/pppp1ppp/4pn2/8/3P4/5N2/PPP1PPPP/RNBQKB1R w KQkq - 0 3"
# 1. e4 d5 2. e5 f5: exf6 e.p. is legal.
EP_W = "rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3"
# 1. e4 d6 2. d4 Nc6 3. Bb5: Black's knight on c6 is pinned.
PIN_B = "r1bqkbnr/ppp1pppp/2np4/1B6/3PP3/8/PPP2PPP/RNBQK1NR b KQkq - 2 3"
# 1. e4 e5 2. f4 Qh4+: White is in check; only Ke2 and g3.
CHECK_W = "rnb1kbnr/pppp1ppp/8/4p3/4PP1q/8/PPPP2PP/RNBQKBNR w KQkq - 1 3"
# Fool's mate: the game is over.
MATE_W = "rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3"
# White pawn on e7, Black rook on d8: e8=Q and exd8=Q.
PROMO_W = "3r3k/4P3/8/8/8/8/6PP/6K1 w - - 0 1"
# Black pawns on a2 and h2.
PROMO_B = "6k1/8/8/8/8/8/p6p/4K3 b - - 0 1"
# White's only legal move is Kg2.
ONLY_W = "7k/8/8/8/8/8/7P/r6K w - - 0 1"
# No castling rights left; and a rook on f8 covering f1.
NO_RIGHTS_W = "r3k2r/8/8/8/8/8/8/R3K2R w - - 0 1"
THROUGH_CHECK_W = "4kr2/8/8/8/8/8/8/R3K2R w KQ - 0 1"

GPT_OPENING = """Let's evaluate the opening position.

1. **Candidate moves**
   - **1. e4**: seizes the centre and frees the queen and bishop.
   - **1. d4**: also central, leads to closed games.
   - **1. c4** / **1. Nf3**: flexible, transpose often.

2. **Evaluation**
   All are sound. I prefer a flexible setup that keeps options open.

**Final answer:** Nf3"""

GPT_ITALIAN = """### Position assessment
White has developed the knight and bishop; Black mirrored with ...Bc5.

### Candidates
- **Ng5** attacks f7, but Black has ...d5 or ...Qe7.
- **d3** is the Giuoco Pianissimo: solid.
- **c3** prepares d4 and a central pawn duo.
- **b4** is the Evans Gambit.

### Decision
I'll play **c3**, intending d4 next."""

CLAUDE_ITALIAN = (
    "Looking at this Italian Game position, White has several good options. The quiet 4. d3 keeps "
    "things solid, while 4. c3 prepares d4. I'll play 4. c3, aiming to build a strong centre with "
    "d4 next move."
)

DEEPSEEK_STYLE = """<think>
The opponent played 1. e4. Options: 1...e5, 1...c5, 1...e6. Sicilian is sharp. Let me go
with something solid though... 1...e5 is classical. Or 1...c5? I'll decide on e5.
</think>

1... e5"""

LEGAL_LIST = """Here are the legal moves for White:
- a3
- a4
- b3
- Nf3
- Nc3
What would you like me to play?"""

NUMBERED_LIST = """Legal moves in UCI format:

1. g8h6
2. g8f6
3. b8c6
4. b8a6
5. e7e5"""

PLAN_WITHOUT_MOVE = """To choose a move I first need the board.

**Next Action:** request the current position.

Once I have it, I will reply with `make_move <move in UCI>`."""

REVISION = """Move: e4

Hmm, wait. On reflection, 1. d4 keeps more tension and avoids the Sicilian.

Final answer: d4"""

TWO_FINALS = """Final answer: Nf3

Actually, let me reconsider. The English is more flexible here.

Final answer: c4"""

JSON_FENCE = """```json
{"uci": "d2d4", "reason": "classical centre"}
```"""

CODE_FENCE_ONLY = """```
e4
```"""

SQUARES_ONLY = (
    "The centre matters most here: controlling the d5 and e5 squares and keeping the pawn on e4 "
    "protected should guide White's plans."
)

ITALIAN_TRAP = "Bxf7+ Kxf7 Ng5+ is a known trap line, but it's dubious. So: d3."

ITALIAN_WEIGHING = """White's main options are 4. c3 (preparing d4), 4. d3 (the quiet Giuoco Pianissimo), and
4. b4 (the Evans Gambit).

4. Ng5 is premature because Black can respond with ...Qe7 or ...d5 in some lines.

After weighing it, the quiet 4. d3 fits my style."""

CORPUS = [
    # --- start position: terse SAN / UCI and their spellings --------------------------------
    pytest.param(START, "e4", "e2e4", "ok", None, id="bare-san-pawn"),
    pytest.param(START, "e2e4", "e2e4", "ok", None, id="bare-uci"),
    pytest.param(START, "1. e4", "e2e4", "ok", None, id="move-number"),
    pytest.param(START, "1.e4", "e2e4", "ok", None, id="move-number-no-space"),
    pytest.param(START, "**e4**", "e2e4", "ok", None, id="bold"),
    pytest.param(START, "`d4`", "d2d4", "ok", None, id="code-span"),
    pytest.param(START, "Nf3", "g1f3", "ok", None, id="bare-knight"),
    pytest.param(START, "nf3", "g1f3", "ok", None, id="lowercase-knight"),
    pytest.param(START, "g1f3", "g1f3", "ok", None, id="uci-knight"),
    pytest.param(START, "Ng1-f3", "g1f3", "ok", None, id="long-algebraic-piece"),
    pytest.param(START, "e2-e4", "e2e4", "ok", None, id="long-algebraic-dash"),
    pytest.param(START, "E4", "e2e4", "ok", None, id="capitalised-pawn"),
    pytest.param(START, "b4", "b2b4", "ok", None, id="b-pawn-not-bishop"),
    pytest.param(START, "♘f3", "g1f3", "ok", None, id="figurine-knight"),
    pytest.param(START, "Nf3.", "g1f3", "ok", None, id="trailing-period"),
    pytest.param(START, "Nf3!!", "g1f3", "ok", None, id="annotation-double-bang"),
    pytest.param(START, "c4?!", "c2c4", "ok", None, id="annotation-dubious"),
    pytest.param(START, "d2\u2013d4", "d2d4", "ok", None, id="en-dash"),
    # --- start position: markers and prose ---------------------------------------------------
    pytest.param(START, "I'll play 1. d4, aiming for a Queen's Gambit.", "d2d4", "ok", None, id="ill-play"),
    pytest.param(START, "Final answer: c4", "c2c4", "ok", None, id="final-answer"),
    pytest.param(START, "FINAL ANSWER: e4", "e2e4", "ok", None, id="final-answer-caps"),
    pytest.param(START, GPT_OPENING, "g1f3", "ok", None, id="gpt-verbose-final-answer"),
    pytest.param(START, "My move is d4.", "d2d4", "ok", None, id="my-move-is"),
    pytest.param(START, "I play c4", "c2c4", "ok", None, id="i-play"),
    pytest.param(START, "Let me play 1.Nf3 - flexible and solid.", "g1f3", "ok", None, id="let-me-play"),
    pytest.param(START, "I'm going with e4.", "e2e4", "ok", None, id="going-with"),
    pytest.param(
        START,
        "The best move here is Nc3, developing toward the centre.",
        "b1c3",
        "ok",
        None,
        id="best-move-is",
    ),
    pytest.param(START, "Answer: The knight moves to f3.", "g1f3", "ok", None, id="answer-in-words"),
    pytest.param(
        START, "I suggest moving the knight from g1 to f3.", "g1f3", "ok", None, id="suggest-from-to"
    ),
    pytest.param(START, '{"move": "e4"}', "e2e4", "ok", None, id="json"),
    pytest.param(START, JSON_FENCE, "d2d4", "ok", None, id="json-fence-uci"),
    pytest.param(START, "$\\boxed{Nf3}$", "g1f3", "ok", None, id="boxed-latex"),
    pytest.param(START, "The answer is \\boxed{e4}.", "e2e4", "ok", None, id="boxed-inline"),
    pytest.param(START, "\\boxed{\\text{d4}}", "d2d4", "ok", None, id="boxed-text"),
    pytest.param(START, CODE_FENCE_ONLY, "e2e4", "ok", None, id="code-fence"),
    pytest.param(START, "## Move\n\n**Nf3**", "g1f3", "ok", None, id="header-then-move"),
    pytest.param(START, "- Move: Nc3", "b1c3", "ok", None, id="bulleted-marker"),
    pytest.param(START, REVISION, "d2d4", "ok", None, id="revision-last-marker"),
    pytest.param(START, TWO_FINALS, "c2c4", "ok", None, id="two-final-answers"),
    pytest.param(START, "<think>e4 or d4? d4.</think>\n\ne4", "e2e4", "ok", None, id="think-then-line"),
    # --- start position: rejections -----------------------------------------------------------
    pytest.param(START, "Nf6", None, "wrong_side", "Black", id="black-knight-san"),
    pytest.param(START, "e7e5", None, "wrong_side", "Black pawn", id="black-pawn-uci"),
    pytest.param(START, "e5", None, "wrong_side", "Black", id="black-pawn-san"),
    pytest.param(START, "Final answer: 1... e5", None, "wrong_side", "Black", id="black-numbered"),
    pytest.param(START, "Ke2", None, "illegal", "e2", id="king-onto-own-pawn"),
    pytest.param(START, "Bc4", None, "illegal", "c4", id="bishop-cannot-reach"),
    pytest.param(START, "Qh5", None, "illegal", "blocked", id="queen-blocked"),
    pytest.param(START, "O-O", None, "illegal", "between", id="castle-blocked"),
    pytest.param(START, "e2e5", None, "illegal", "e2e5", id="pawn-three-squares"),
    pytest.param(START, "Move: e3e4", None, "illegal", "no piece on e3", id="uci-empty-square"),
    pytest.param(START, "Final answer: Nf9", None, "unparseable", "Nf9", id="off-board-square"),
    pytest.param(START, "e4e4", None, "illegal", "different square", id="null-uci"),
    pytest.param(
        START,
        "I cannot see the board. Could you describe the position?",
        None,
        "no_move",
        "Final answer",
        id="refusal-no-board",
    ),
    pytest.param(
        START, "As an AI language model, I don't play games.", None, "no_move", "move", id="refusal-ai"
    ),
    pytest.param(START, "", None, "no_move", "empty", id="empty-reply"),
    pytest.param(START, "I resign.", None, "no_move", "move", id="resign"),
    pytest.param(START, "Answer: pass", None, "no_move", "move", id="answer-pass"),
    pytest.param(
        START, "It's your move. What would you like to play?", None, "no_move", "move", id="question"
    ),
    pytest.param(START, SQUARES_ONLY, None, "no_move", "move", id="squares-only"),
    pytest.param(START, LEGAL_LIST, None, "no_move", "several", id="legal-move-list"),
    pytest.param(START, PLAN_WITHOUT_MOVE, None, "no_move", "move", id="plan-without-move"),
    pytest.param(
        START,
        "Legal moves: a3, a4, b3, b4, c3, c4, d3, d4, e3, e4",
        None,
        "no_move",
        "move",
        id="inline-square-list",
    ),
    # --- Black to move after 1. e4 ------------------------------------------------------------
    pytest.param(E4_B, "e5", "e7e5", "ok", None, id="black-e5"),
    pytest.param(E4_B, "1... e5", "e7e5", "ok", None, id="black-numbered-dots"),
    pytest.param(E4_B, "1...c5", "c7c5", "ok", None, id="black-numbered-tight"),
    pytest.param(E4_B, "...c5", "c7c5", "ok", None, id="black-ellipsis"),
    pytest.param(E4_B, "1…c6", "c7c6", "ok", None, id="black-unicode-ellipsis"),
    pytest.param(E4_B, "nf6", "g8f6", "ok", None, id="black-lowercase-knight"),
    pytest.param(E4_B, "I'll respond with the Sicilian: 1...c5.", "c7c5", "ok", None, id="black-sicilian"),
    pytest.param(
        E4_B,
        "As Black, I'll answer 1. e4 with 1... e5, the classical reply.",
        "e7e5",
        "ok",
        None,
        id="black-skips-white-move",
    ),
    pytest.param(E4_B, "Final Answer: **Nf6**", "g8f6", "ok", None, id="black-final-bold"),
    pytest.param(E4_B, "{'move': 'd5'}", "d7d5", "ok", None, id="black-json-single-quotes"),
    pytest.param(E4_B, "My reply: ...e6 (the French Defence).", "e7e6", "ok", None, id="black-french"),
    pytest.param(
        E4_B,
        "e6\n\nThe French: solid, and it prepares ...d5 next.",
        "e7e6",
        "ok",
        None,
        id="black-move-then-explanation",
    ),
    pytest.param(E4_B, DEEPSEEK_STYLE, "e7e5", "ok", None, id="black-think-block"),
    pytest.param(E4_B, "Nf3", None, "wrong_side", "White", id="black-plays-white-knight"),
    pytest.param(E4_B, "d2d4", None, "wrong_side", "White pawn", id="black-moves-white-pawn"),
    pytest.param(E4_B, NUMBERED_LIST, None, "no_move", "several", id="black-numbered-uci-list"),
    # --- 1. e4 e5 --------------------------------------------------------------------------------
    pytest.param(
        E4E5_W,
        "I considered Nxe5 and d4, but Qh5 is best. Final answer: Qh5",
        "d1h5",
        "ok",
        None,
        id="multi-candidate-final",
    ),
    pytest.param(
        E4E5_W,
        "Nf3 develops with tempo on e5; Bc4 is also good, but Nf3 is the most principled move.",
        "g1f3",
        "ok",
        None,
        id="postfix-verdict",
    ),
    pytest.param(E4E5_W, "bc4", "f1c4", "ok", None, id="lowercase-bishop-when-pawn-impossible"),
    pytest.param(E4E5_W, "Bb5", "f1b5", "ok", None, id="bishop-b5"),
    # --- Italian game, White ------------------------------------------------------------------
    pytest.param(ITALIAN_W, "O-O", "e1g1", "ok", None, id="castle-letters"),
    pytest.param(ITALIAN_W, "0-0", "e1g1", "ok", None, id="castle-zeros"),
    pytest.param(ITALIAN_W, "o-o", "e1g1", "ok", None, id="castle-lowercase"),
    pytest.param(ITALIAN_W, "e1g1", "e1g1", "ok", None, id="castle-king-uci"),
    pytest.param(ITALIAN_W, "e1h1", "e1g1", "ok", None, id="castle-king-takes-rook"),
    pytest.param(ITALIAN_W, "O-O+", "e1g1", "ok", None, id="castle-with-suffix"),
    pytest.param(
        ITALIAN_W, "Castling is safest, so I'll castle kingside.", "e1g1", "ok", None, id="castle-in-words"
    ),
    pytest.param(ITALIAN_W, "4. c3, preparing d4.", "c2c3", "ok", None, id="numbered-with-plan"),
    pytest.param(
        ITALIAN_W,
        "I considered Ng5, attacking f7, and d3, but the main line 4. c3 is best. Final answer: c3",
        "c2c3",
        "ok",
        None,
        id="italian-multi-candidate",
    ),
    pytest.param(
        ITALIAN_W,
        "Nxe5?! is tempting, but after ...Nxe5 d4 Bxd4 Black is fine. I'll go with d3.",
        "d2d3",
        "ok",
        None,
        id="tempting-then-decision",
    ),
    pytest.param(ITALIAN_W, "**Bxf7+!**", "c4f7", "ok", None, id="bold-capture-check"),
    pytest.param(
        ITALIAN_W,
        "Ng5\n\nThis attacks f7 twice together with the bishop on c4.",
        "f3g5",
        "ok",
        None,
        id="first-line-move",
    ),
    pytest.param(ITALIAN_W, GPT_ITALIAN, "c2c3", "ok", None, id="markdown-sections"),
    pytest.param(ITALIAN_W, CLAUDE_ITALIAN, "c2c3", "ok", None, id="claude-prose"),
    pytest.param(ITALIAN_W, "I'd play d4!? here, striking in the centre.", "d2d4", "ok", None, id="id-play"),
    pytest.param(ITALIAN_W, "Move: Nxe5", "f3e5", "ok", None, id="move-marker-capture"),
    pytest.param(ITALIAN_W, "Best move: b4 (the Evans Gambit)", "b2b4", "ok", None, id="best-move-colon"),
    pytest.param(
        ITALIAN_W, "I will not play Ng5 here; my move is d3.", "d2d3", "ok", None, id="negated-then-move"
    ),
    pytest.param(ITALIAN_W, "O-O-O", None, "illegal", "between", id="long-castle-blocked"),
    pytest.param(ITALIAN_W, "Nf6", None, "wrong_side", "Black", id="italian-black-knight"),
    pytest.param(ITALIAN_W, "Qxf7", None, "illegal", "queen", id="queen-cannot-reach"),
    pytest.param(
        ITALIAN_W, "Final answer: Ng5, then if ...d5 exd5.", "f3g5", "ok", None, id="answer-with-line"
    ),
    # --- Italian game, Black -----------------------------------------------------------------
    pytest.param(ITALIAN_B, "4... Nf6", "g8f6", "ok", None, id="italian-black-nf6"),
    pytest.param(
        ITALIAN_B, "I will play ...Nf6, hitting e4.", "g8f6", "ok", None, id="italian-black-will-play"
    ),
    pytest.param(ITALIAN_B, "Bxf2+", "c5f2", "ok", None, id="bishop-sacrifice"),
    pytest.param(ITALIAN_B, "bxf2+", "c5f2", "ok", None, id="lowercase-bishop-capture"),
    pytest.param(ITALIAN_B, "Answer: d5", "d7d5", "ok", None, id="answer-colon-pawn"),
    pytest.param(ITALIAN_B, "O-O", None, "illegal", "between", id="black-castle-blocked"),
    pytest.param(ITALIAN_B, "Nf3", None, "illegal", "f3", id="knight-onto-white-knight"),
    # --- castling-ready positions -------------------------------------------------------------
    pytest.param(CASTLE_W, "O-O-O", "e1c1", "ok", None, id="long-castle"),
    pytest.param(CASTLE_W, "0-0-0", "e1c1", "ok", None, id="long-castle-zeros"),
    pytest.param(CASTLE_W, "e1c1", "e1c1", "ok", None, id="long-castle-uci"),
    pytest.param(CASTLE_W, "e1a1", "e1c1", "ok", None, id="long-castle-king-takes-rook"),
    pytest.param(
        CASTLE_W,
        "I'll castle queenside to start a kingside pawn storm.",
        "e1c1",
        "ok",
        None,
        id="long-castle-in-words",
    ),
    pytest.param(CASTLE_W, "Final answer: O-O.", "e1g1", "ok", None, id="castle-final-period"),
    pytest.param(CASTLE_W, "**Final Answer:** `0-0`", "e1g1", "ok", None, id="castle-code-zeros"),
    pytest.param(CASTLE_W, "Nd5", "c3d5", "ok", None, id="castle-pos-nd5"),
    pytest.param(CASTLE_W, "Bxc5", "e3c5", "ok", None, id="castle-pos-bxc5"),
    pytest.param(CASTLE_W, "dxe5", None, "illegal", "capture", id="pawn-capture-impossible"),
    pytest.param(CASTLE_B, "O-O", "e8g8", "ok", None, id="black-short-castle"),
    pytest.param(CASTLE_B, "e8c8", "e8c8", "ok", None, id="black-long-castle-uci"),
    pytest.param(CASTLE_B, "o-o-o", "e8c8", "ok", None, id="black-long-castle-lowercase"),
    pytest.param(NO_RIGHTS_W, "O-O", None, "illegal", "no longer", id="castle-no-rights"),
    pytest.param(NO_RIGHTS_W, "e1g1", None, "illegal", "no longer", id="castle-uci-no-rights"),
    pytest.param(THROUGH_CHECK_W, "O-O", None, "illegal", "attacked", id="castle-through-check"),
    pytest.param(THROUGH_CHECK_W, "O-O-O", "e1c1", "ok", None, id="castle-other-wing"),
    # --- ambiguity ----------------------------------------------------------------------------
    pytest.param(AMBIG_W, "Nd2", None, "ambiguous", "Nbd2 or Nfd2", id="ambiguous-knights"),
    pytest.param(AMBIG_W, "nd2", None, "ambiguous", "b1 and f3", id="ambiguous-lowercase"),
    pytest.param(
        AMBIG_W, "I'll develop with Nd2 to support e4.", None, "ambiguous", "Nbd2", id="ambiguous-prose"
    ),
    pytest.param(AMBIG_W, "Nbd2", "b1d2", "ok", None, id="disambiguated-file"),
    pytest.param(AMBIG_W, "Nfd2", "f3d2", "ok", None, id="disambiguated-file-2"),
    pytest.param(AMBIG_W, "N1d2", "b1d2", "ok", None, id="disambiguated-rank"),
    pytest.param(AMBIG_W, "Nb1-d2", "b1d2", "ok", None, id="disambiguated-long"),
    pytest.param(AMBIG_W, "Ne5", "f3e5", "ok", None, id="ambig-pos-ne5"),
    pytest.param(AMBIG_W, "Bf4", "c1f4", "ok", None, id="ambig-pos-bf4"),
    # --- en passant ---------------------------------------------------------------------------
    pytest.param(EP_W, "exf6", "e5f6", "ok", None, id="en-passant"),
    pytest.param(EP_W, "exf6 e.p.", "e5f6", "ok", None, id="en-passant-ep-suffix"),
    pytest.param(EP_W, "e5f6", "e5f6", "ok", None, id="en-passant-uci"),
    pytest.param(EP_W, "exf6ep", "e5f6", "ok", None, id="en-passant-glued-ep"),
    pytest.param(EP_W, "exd6", None, "illegal", "d6", id="en-passant-expired"),
    pytest.param(EP_W, "Qh5+", "d1h5", "ok", None, id="check-suffix"),
    pytest.param(EP_W, "Bb5+!", "f1b5", "ok", None, id="check-and-annotation"),
    # --- pins and checks ----------------------------------------------------------------------
    pytest.param(PIN_B, "Ne5", None, "illegal", "pinned", id="pinned-knight"),
    pytest.param(PIN_B, "Final answer: Nxd4", None, "illegal", "check", id="pinned-knight-capture"),
    pytest.param(PIN_B, "a6", "a7a6", "ok", None, id="pin-pos-a6"),
    pytest.param(PIN_B, "Bd7", "c8d7", "ok", None, id="pin-pos-bd7"),
    pytest.param(CHECK_W, "Nf3", None, "illegal", "check", id="ignores-check"),
    pytest.param(CHECK_W, "g3", "g2g3", "ok", None, id="blocks-check"),
    pytest.param(CHECK_W, "Ke2", "e1e2", "ok", None, id="king-steps-out"),
    pytest.param(CHECK_W, "Kf2", None, "illegal", "attacked", id="king-into-check"),
    # --- promotion ----------------------------------------------------------------------------
    pytest.param(PROMO_W, "e8=Q", "e7e8q", "ok", None, id="promo-equals"),
    pytest.param(PROMO_W, "e8Q", "e7e8q", "ok", None, id="promo-glued"),
    pytest.param(PROMO_W, "e8(Q)", "e7e8q", "ok", None, id="promo-parenthesised"),
    pytest.param(PROMO_W, "e8/Q", "e7e8q", "ok", None, id="promo-slash"),
    pytest.param(PROMO_W, "e7e8q", "e7e8q", "ok", None, id="promo-uci"),
    pytest.param(PROMO_W, "e7e8=Q", "e7e8q", "ok", None, id="promo-uci-equals"),
    pytest.param(PROMO_W, "e7-e8=Q+", "e7e8q", "ok", None, id="promo-long-check"),
    pytest.param(PROMO_W, "exd8=Q+", "e7d8q", "ok", None, id="promo-capture"),
    pytest.param(PROMO_W, "e8=N", "e7e8n", "ok", None, id="underpromotion"),
    pytest.param(
        PROMO_W, "I'll promote: e8=Q+, and the rook cannot stop it.", "e7e8q", "ok", None, id="promo-in-prose"
    ),
    pytest.param(PROMO_W, '{"move": "e8=Q", "comment": "queen"}', "e7e8q", "ok", None, id="promo-json"),
    pytest.param(PROMO_W, "e8", None, "illegal", "promotion", id="promo-missing-san"),
    pytest.param(PROMO_W, "e7e8", None, "illegal", "promotion", id="promo-missing-uci"),
    pytest.param(PROMO_W, "e8=K", None, "illegal", "king", id="promo-to-king"),
    pytest.param(PROMO_B, "a1=Q+", "a2a1q", "ok", None, id="black-promo"),
    pytest.param(PROMO_B, "h1=N", "h2h1n", "ok", None, id="black-underpromo"),
    pytest.param(PROMO_B, "a2a1q", "a2a1q", "ok", None, id="black-promo-uci"),
    pytest.param(PROMO_B, "1... h1=Q+", "h2h1q", "ok", None, id="black-promo-numbered"),
    # --- game over, single legal move ---------------------------------------------------------
    pytest.param(MATE_W, "Final answer: Ke2", None, "game_over", "over", id="after-mate"),
    pytest.param(MATE_W, "e4", None, "game_over", "checkmate", id="after-mate-bare"),
    # --- lines of play, plain words, other wrappers --------------------------------------------
    pytest.param(START, "1. e4 e5 2. Nf3 Nc6 3. Bb5", "e2e4", "ok", None, id="pgn-line-current-move"),
    pytest.param(ITALIAN_W, ITALIAN_TRAP, "d2d3", "ok", None, id="trap-line-then-so"),
    pytest.param(ITALIAN_W, ITALIAN_WEIGHING, "d2d3", "ok", None, id="aside-after-comma"),
    pytest.param(
        ITALIAN_W,
        "Black threatens nothing immediate. I'll castle.",
        "e1g1",
        "ok",
        None,
        id="castle-only-one-way",
    ),
    pytest.param(CASTLE_W, "I'll castle.", None, "ambiguous", "O-O-O", id="castle-which-way"),
    pytest.param(NO_RIGHTS_W, "I'll castle.", None, "illegal", "castle", id="castle-none-legal"),
    pytest.param(START, "Knight to f3.", "g1f3", "ok", None, id="words-knight-to"),
    pytest.param(START, "Pawn to e4", "e2e4", "ok", None, id="words-pawn-to"),
    pytest.param(START, "The knight goes to f3.", "g1f3", "ok", None, id="words-goes-to"),
    pytest.param(START, "<answer>e4</answer>", "e2e4", "ok", None, id="xml-answer-tag"),
    pytest.param(START, '{"from": "g1", "to": "f3"}', "g1f3", "ok", None, id="json-from-to"),
    pytest.param(START, "Final Answer: NF3", "g1f3", "ok", None, id="shouted-san"),
    pytest.param(START, "E2E4", "e2e4", "ok", None, id="shouted-uci"),
    pytest.param(START, "Final answer: e4 e5", "e2e4", "ok", None, id="answer-then-reply"),
    pytest.param(START, "Opening with e4.", "e2e4", "ok", None, id="opening-with"),
    pytest.param(START, "Playing d4.", "d2d4", "ok", None, id="playing-line"),
    pytest.param(START, "d4: controls e5 and c5.", "d2d4", "ok", None, id="move-then-squares"),
    pytest.param(START, "e4 (King's Pawn)", "e2e4", "ok", None, id="move-with-parenthesis"),
    pytest.param(START, "White's best move is e4.", "e2e4", "ok", None, id="own-colour-best-move"),
    pytest.param(E4_B, "White played e4, so I reply c5.", "c7c5", "ok", None, id="reply-verb"),
    pytest.param(E4_B, "I reply to e4 with c5.", "c7c5", "ok", None, id="reply-to-with"),
    pytest.param(
        E4_B,
        "Opponent's last move: 1. e4\nMy move: 1... c5",
        "c7c5",
        "ok",
        None,
        id="last-move-label-ignored",
    ),
    pytest.param(E4_B, "Black should play ...c5.", "c7c5", "ok", None, id="should-play"),
    pytest.param(
        E4_B, "Nf6?! 2. e5 Nd5 is the Alekhine. I'd rather play c5.", "c7c5", "ok", None, id="rather-play"
    ),
    pytest.param(
        E4E5_W, "Nf3 is strong. Alternatively Bc4.", "g1f3", "ok", None, id="alternative-not-chosen"
    ),
    pytest.param(EP_W, "En passant: exf6", "e5f6", "ok", None, id="en-passant-label"),
    pytest.param(START, "exd5", None, "illegal", "e-file", id="pawn-capture-from-nowhere"),
    pytest.param(
        START,
        "There are several options, including d4, Nf3, e4 and c4. Each leads to different structures.",
        None,
        "no_move",
        "move",
        id="options-without-choice",
    ),
    pytest.param(
        START,
        "Typically in such positions, moves like Nf3 or e4 are strong, but I can't be sure "
        "without the board.",
        None,
        "no_move",
        "move",
        id="examples-without-choice",
    ),
    pytest.param(
        START,
        "Candidates:\n- Nf3: develops\n- d4: centre\n- c4: flank",
        None,
        "no_move",
        "several",
        id="bulleted-candidates",
    ),
    pytest.param(START, "Options:\n1. e4\n2. d4", None, "no_move", "several", id="numbered-options"),
    pytest.param(
        START, "After careful consideration, I'll play Nf3.", "g1f3", "ok", None, id="after-deliberation"
    ),
    pytest.param(
        START, "After analyzing the position I will play Nf3", "g1f3", "ok", None, id="after-gerund"
    ),
    pytest.param(START, "If I had to pick, I'd play d4.", "d2d4", "ok", None, id="if-i-had-to-pick"),
    pytest.param(
        START, "I could play e4 or d4. I'll go with d4.", "d2d4", "ok", None, id="could-then-decide"
    ),
    pytest.param(START, "I could play e4 or d4.", None, "no_move", "move", id="could-without-decision"),
    pytest.param(
        E4E5_W,
        "If Black plays ...Nc6, I play Bb5. For now: Nf3.",
        "g1f3",
        "ok",
        None,
        id="conditional-plan-then-move",
    ),
    pytest.param(
        E4E5_W,
        "Qh5 looks tempting but it can be met by Nc6. Nf3 develops naturally.",
        "g1f3",
        "ok",
        None,
        id="tempting-then-plain-move",
    ),
    pytest.param(
        E4_B,
        "If I go for e5, that is the Open Game; with c5 it is a Sicilian. Hard to say.",
        None,
        "no_move",
        "move",
        id="suppositions-only",
    ),
    pytest.param(ONLY_W, "Kg2", "h1g2", "ok", None, id="only-move-named"),
    pytest.param(ONLY_W, "Kh2", None, "illegal", "pawn", id="only-move-pos-own-pawn"),
    pytest.param(
        ONLY_W,
        "The position is lost; I don't see any good move here.",
        None,
        "no_move",
        "move",
        id="only-move-not-named",
    ),
]


@pytest.mark.parametrize(("fen", "reply", "expected_uci", "expected_kind", "reason_word"), CORPUS)
def test_corpus(
    fen: str, reply: str, expected_uci: str | None, expected_kind: str, reason_word: str | None
) -> None:
    board = chess.Board(fen)
    result = parse_reply(reply, board)
    assert result.kind == expected_kind, result
    if expected_uci is None:
        assert result.move is None
        assert result.reason
        assert reason_word is not None
        assert reason_word.lower() in result.reason.lower(), result.reason
    else:
        assert result.move is not None, result
        assert result.move.uci() == expected_uci
        assert result.reason is None
        assert board.is_legal(result.move)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 100


def test_board_is_not_mutated() -> None:
    board = chess.Board()
    board.push_san("e4")
    board.push_san("e5")
    fen, stack = board.fen(), list(board.move_stack)
    for reply in ("Nf3", "Final answer: Qh5", "Nf6", "O-O", "I cannot see the board.", "e1g1", "Ke2 Kd1"):
        parse_reply(reply, board)
    assert board.fen() == fen
    assert board.move_stack == stack


def test_last_marker_wins() -> None:
    board = chess.Board()
    assert parse_reply("Final answer: e4\n\nFinal answer: d4", board).candidate == "d4"
    assert parse_reply("My move is Nf3. ... I play c4.", board).candidate == "c4"
    assert parse_reply("I play c4. On reflection, final answer: Nf3", board).candidate == "Nf3"


def test_marker_beats_later_mentions() -> None:
    board = chess.Board(ITALIAN_W)
    result = parse_reply(
        "Final answer: d3\n\nThis keeps Ng5 and Bg5 in reserve and prepares c3 and O-O.", board
    )
    assert result.move == chess.Move.from_uci("d2d3")


def test_reply_naming_no_move_is_never_guessed() -> None:
    board = chess.Board(ONLY_W)
    assert board.legal_moves.count() == 1
    for reply in ("", "I have only one option.", "Forced.", "The king must move.", "OK"):
        result = parse_reply(reply, board)
        assert result.move is None
        assert result.kind == "no_move"
        assert result.candidate is None


def test_reasons_name_the_move() -> None:
    cases = [
        (START, "Nf6", "Nf6 is a move for Black; you play White."),
        (START, "e7e5", "e7e5 moves a Black pawn, but you play White."),
        (AMBIG_W, "Nd2", "Nd2 is ambiguous: knights on b1 and f3 can both go there; write Nbd2 or Nfd2."),
        (PROMO_W, "e8", "e8 needs a promotion piece, e.g. e8=Q."),
    ]
    for fen, reply, reason in cases:
        assert parse_reply(reply, chess.Board(fen)).reason == reason


def test_accepted_reply_reports_candidate() -> None:
    result = parse_reply("I'll play nf3.", chess.Board())
    assert result == ParsedReply(chess.Move.from_uci("g1f3"), "Nf3", None, "ok")


# --- the game-neutral rules of llm.answers, on chess replies ------------------------------


def test_it_reads_a_reply_as_a_uci_reading() -> None:
    assert read_reply("I'll play nf3.", chess.Board()) == Reading.accept("g1f3", "Nf3")


def test_the_chess_reader_is_a_move_reader() -> None:
    reader: MoveReader = ChessReader(chess.Board())
    assert reader.read("Nf3, developing").move == "g1f3"
    assert reader.read("no move here").kind == RejectKind.NO_MOVE
    assert [found.text for found in reader.find("The quiet 1. d4 fits.")] == ["1. d4"]


@pytest.mark.parametrize(
    "reply",
    [
        "a3 a4 b3 Nf3",
        "Nf3 Nc3",
        "a3, a4, b3, Nf3, Nc3",
        "Legal moves: e4, d4, Nf3",
        "Here are my candidates: e4, d4 and c4.",
        LEGAL_LIST,
        NUMBERED_LIST,
    ],
)
def test_a_reply_that_only_echoes_a_list_of_moves_is_rejected(reply: str) -> None:
    board = chess.Board() if reply != NUMBERED_LIST else chess.Board(E4_B)
    result = read_reply(reply, board)
    assert result.kind == RejectKind.NO_MOVE
    assert "lists several moves" in (result.reason or "")


def test_a_line_of_play_is_not_a_list_of_candidates() -> None:
    assert read_reply("e4 e5", chess.Board()).move == "e2e4"
    assert read_reply("1. e4 e5 2. Nf3", chess.Board()).move == "e2e4"


@pytest.mark.parametrize(
    ("reply", "uci"),
    [
        ("<think>Final answer: e4</think>\n\nFinal answer: d4", "d2d4"),
        ("<think>I'll play e4.</think>\nI'll go with c4.", "c2c4"),
        ("<think>e4 is the best move.</think>\nI'd rather keep it flexible: c4.", "c2c4"),
        ("I think I'll play e4 here.\n</think>\n\nd4", "d2d4"),
        ("<think>Let me see... Final answer: Nf3</think>", "g1f3"),
        ("<think>Maybe e4. Final answer: e4", "e2e4"),
    ],
)
def test_think_block_text_never_outranks_the_answer_after_it(reply: str, uci: str) -> None:
    assert read_reply(reply, chess.Board()).move == uci


def test_an_illegal_answer_after_a_think_block_is_not_rescued_by_the_thought() -> None:
    result = read_reply("<think>Final answer: e4</think>\nFinal answer: e5", chess.Board())
    assert result.kind == RejectKind.WRONG_SIDE


@pytest.mark.parametrize(
    "reply",
    [
        "Final answer: e4\n\nActually, d4.",
        "Final answer: Nf3\n\nOn second thought, d4",
        "My move: e4. I'd change to d4",
        "Final answer: e4\n\nInstead, I'll play d4.",
    ],
)
def test_a_later_explicit_revision_wins(reply: str) -> None:
    assert read_reply(reply, chess.Board()).move == "d2d4"


def test_a_later_remark_is_not_a_revision() -> None:
    assert read_reply("Final answer: e4\n\nWait, d4 would be a mistake.", chess.Board()).move == "e2e4"


@pytest.mark.parametrize(
    "reply",
    [
        "\u041af3",  # a Cyrillic Ka: Russian for knight
        "My move: \u041af3",
        "Final answer: \u041bc4",  # a Cyrillic El: Russian for bishop
        "\u039de5",  # a Greek Nu
        "Sf3",  # German for knight
        "Cf3",  # French for knight
        "Dd4",  # German for queen
        "I play Sf3.",
    ],
)
def test_a_letter_that_is_not_a_piece_letter_is_never_dropped_to_make_a_pawn_move(reply: str) -> None:
    result = read_reply(reply, chess.Board())
    assert result.move is None
    assert result.kind == RejectKind.UNPARSEABLE
    assert "is not a move" in (result.reason or "")


@pytest.mark.parametrize(
    ("reply", "kind", "word"),
    [
        ("I like e4 a lot.\n\nFinal answer: Nf6", RejectKind.WRONG_SIDE, "Nf6"),
        ('e4 is good. {"move": "e5"}', RejectKind.WRONG_SIDE, "e5"),
        ("Nf3 develops well.\n\n**Move:** Ke2", RejectKind.ILLEGAL, "Ke2"),
        ("e4 first, surely.\n\n\\boxed{Qh5}", RejectKind.ILLEGAL, "blocked"),
        ("<answer>Bc4</answer>\nOtherwise d4.", RejectKind.ILLEGAL, "Bc4"),
        ("Nf3 is natural.\n\nFinal answer: Nf9", RejectKind.UNPARSEABLE, "Nf9"),
    ],
)
def test_an_illegal_structured_answer_rejects_the_reply(reply: str, kind: RejectKind, word: str) -> None:
    result = read_reply(reply, chess.Board())
    assert result.move is None
    assert result.kind == kind
    assert word in (result.reason or "")


def test_read_reply_reports_a_finished_game() -> None:
    assert read_reply("Final answer: Ke2", chess.Board(MATE_W)).kind == RejectKind.GAME_OVER
