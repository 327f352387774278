// Question components now live in js/kinds/ (one module per kind, and a registry);
// this module keeps the old import path.
export { buildQuestion, kindOf, registerKind } from "./kinds/index.js";
