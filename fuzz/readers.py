"""Coverage-guided fuzzing of one reader and cleaning with atheris (``make fuzz``; outside the
test suite). The input bytes are written as a file the reader is chosen for by its name
(``tests/fuzzing.py``: the same check as the property-based tests); a fault that escapes is
a crash, saved by libFuzzer as ``crash-*`` in the working folder.

    python fuzz/readers.py READER [libFuzzer options, e.g. -max_total_time=600]
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

# Coverage is followed in storyfuse and the parsers it hands input to, not in numpy or scipy.
with atheris.instrument_imports(include=["storyfuse", "trafilatura", "htmldate", "feedparser", "warcio",
                                         "justext", "courlan", "tld", "charset_normalizer"]):
    import storyfuse
    import storyfuse.clean  # noqa: F401
    import storyfuse.ingest  # noqa: F401
    from fuzzing import READERS, read_and_clean

FOLDER = Path(tempfile.mkdtemp(prefix="storyfuse-fuzz-"))


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in READERS:
        sys.exit(f"usage: python fuzz/readers.py READER [libFuzzer options]; READER is one of {', '.join(READERS)}")
    name = READERS[sys.argv.pop(1)]
    logging.disable(logging.CRITICAL)  # trafilatura's warnings on every malformed page
    # Start from the sample corpus's files of the reader's kind, so that the first inputs are
    # real articles, not only what the fuzzer finds by flipping bits.
    corpus = Path("corpus")
    corpus.mkdir(exist_ok=True)
    sample = Path(storyfuse.__file__).parent / "sample" / "corpus"
    for k, path in enumerate(sorted(sample.rglob("*" + Path(name).suffix))):
        (corpus / f"sample-{k}{path.suffix}").write_bytes(path.read_bytes())
    sys.argv.append(str(corpus))

    def one_input(data: bytes) -> None:
        read_and_clean(data, name, FOLDER)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
