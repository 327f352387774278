"""Question families: the rules the kinds of one shape share, each written once.

A family is a mixin listed before `Question` in a kind's bases; it implements the hooks
(hooks.py) the same way for every kind of its shape, so the kind writes only what is its
own (its arguments, `validate`, `spec`, its words on the card).

- `Choice` (choice.py): one of a list of labels. ClassLabel column, majority consensus,
  nominal agreement, counts and `summary()` by label name (Label, Preference); `ChoiceSet`:
  any number of them, a label in the consensus when most chose it (MultiLabel).
  `OptionKeys`: options picked by a key (digits by position, or `keys=`), so one key is a
  whole answer (one-key mode): Label, MultiLabel, Rating.
- `Numeric` (numeric.py): a number. Float consensus by the kind's `center` (mean or
  median), interval agreement, grading within a tolerance, numbers written and counted as
  numbers. Rating, Number; Rubric grades its criteria with the same `within`.
- `Text` (text.py): typed text. A string column, an empty box is no answer, an optional
  length limit, text read from the store in Arrow. FreeText, Edit.
- `Compare` (compare.py): between fields of the record. Answers name fields, never screen
  positions; the order shown is fixed per record by a hash; the answer gives DPO pairs.
  Preference, Ranking.
"""

from .choice import Choice, ChoiceSet, OptionKeys
from .compare import Compare
from .numeric import Numeric
from .text import Text

__all__ = ["Choice", "ChoiceSet", "Compare", "Numeric", "OptionKeys", "Text"]
