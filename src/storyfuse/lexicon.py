"""Word lists shared by the stages: number words, months, weekdays, reporting verbs, function
words. One table each, so that dates, figures and quotes read the same words the same way.
"""

from __future__ import annotations

# Cardinal number words as news prose writes them ("two workers", "forty flights", "a dozen").
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24,
}

MONTHS: dict[str, int] = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

# Verbs that introduce reported speech, as a regular-expression alternation.
REPORTING_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|noted|warned|insisted|argued|"
    "wrote|writes|asked|replied|declared|announced|continued|recalled|acknowledged|admitted|"
    "claimed|urged|tweeted|posted|remarked|confirmed|conceded|cautioned|stressed|emphasised|"
    "emphasized|predicted|promised|vowed|pledged|observed|responded|maintained|demanded|asks|boasted|"
    "saying|quipped|joked|complained|countered|wondered|mused|shouted|sings|sang|calls|called|calling|"
    "describes|described|describing|insists|argues|adds|notes|warns|writes|explains|"
    "tweets|posts|announces|declares|claims|urges|recalls|replies|responds"
)

# Function words only: general stop lists (scikit-learn's) also drop news words such as
# "fire", "empty" or "full".
FUNCTION_WORDS = frozenset("""
a an the and or but nor so yet if then than that this these those there here of in on at by for to from
with without into onto over under about after before during since until while as is are was were be been
being am has have had having do does did will would shall should can could may might must it its he him
his she her they them their we us our you your i me my who whom whose which what when where why how
not no also just only very too more most some any each every both either neither all such own same other
""".split())

# Words whose full stop does not end a sentence ("Mr. Barrett said", "Sen. Warren").
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sen rep gov st jr sr gen lt col sgt capt cpl adm maj rev hon pres supt det insp
no vs inc co corp ltd jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e
""".split())
