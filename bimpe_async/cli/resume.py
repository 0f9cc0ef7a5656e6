"""Reading back an export's JSON Lines file, so that running the export again resumes it.

An export only ever appends whole lines, one per item, so whatever interrupted it
(Ctrl-C, a failed request, a killed process) the file is a prefix of a complete run:
complete lines, perhaps followed by the start of one more. ``exported_ids`` cuts that
partial line off and returns the ids of the complete lines; the rerun skips those
items and appends the rest, so each item ends up in the file exactly once. No
checkpoint file is needed: the export is its own checkpoint.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from .common import CliError


class ExportedItem(msgspec.Struct):
    """What a line must hold to count as exported: an object with a string ``id``."""

    id: str


_decode = msgspec.json.Decoder(ExportedItem).decode


def exported_ids(path: Path) -> set[str]:
    """The ids already in ``path`` (none if it does not exist), after dropping a
    partially written last line from the file.

    A complete line that is not an exported item raises ``CliError``: the file is not
    this kind of export, and appending to it would only mix things up.
    """
    ids: set[str] = set()
    if not path.exists():
        return ids
    with path.open("rb+") as file:
        complete = 0
        for number, line in enumerate(file, start=1):
            if not line.endswith(b"\n"):
                break  # cut off mid-write: dropped, and written again by this run
            try:
                ids.add(_decode(line).id)
            except msgspec.DecodeError as error:
                raise CliError(
                    f"{path}, line {number}, is not an exported item ({error}); "
                    "pass another --out or move the file away"
                ) from None
            complete += len(line)
        file.truncate(complete)
    return ids
