// "More like this" (key `similar`, m by default): with `Review(embeddings=COLUMN)` the kernel
// makes the queue the record shown and the records nearest it (docs/protocol.md, `similar`).
// An action of its own, registered like any module's, so the core knows nothing of it.
import { registerAction } from "./core/reducer.js";
import { move } from "./core/moves.js";

registerAction("similar", (r) => (move(r, "similar", {}), r), {
  moves: true, // the queue changes: typing not yet sent goes first, later keys wait for it
  help: "more like this: queue the similar records",
});
