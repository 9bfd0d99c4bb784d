"""The case package's ZIP container, written one exact way and read back only if it is exactly that way.

`unzip`, file managers and Python's `zipfile` each forgive different damage: a second entry with the same
name (the first or the last one wins, depending on the tool), bytes before the first entry or between
entries, a local header that disagrees with the central directory, a comment after the end. Any of these
lets two readers see two different packages, so the checker parses the container itself and accepts
only what the writer makes: entries tiling the file from byte 0, each local header equal to its
central-directory record, deflate streams that end exactly where their size says and inflate to their
declared size and CRC, the central directory right after the last entry, the end record last, no
comment, no ZIP64, no extra fields, no data descriptors, ASCII names, one timestamp on every entry.

A package comes from outside, so its declared sizes are claims: an entry is inflated in bounded steps and
reading stops as soon as it gives more than it declares (or than the caller expects, e.g. the manifest's size),
and an entry declaring more than `MAX_ENTRY_BYTES` is not inflated at all.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from service.errors import LokerwatchError

# What `write_package_zip` writes in every header.
_VERSION = 20  # "2.0": deflate
_MADE_BY = (3 << 8) | _VERSION  # made on Unix, whatever machine exports the package
_EXTERNAL_ATTR = 0o100644 << 16  # a regular file, rw-r--r--
_DEFLATED = 8
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_ZIP64_LIMIT = 0xFFFFFFFF
# The largest entry a genuine package holds is its WARC: every snapshot of the lead, gzipped. Fetched pages are at
# most LOKERWATCH_SCRAPE_MAX_BODY_BYTES (10 MiB by default) and poster images 20 MiB, so 1 GiB is a lead of about
# a hundred pages at their largest, more than any unit reads and than the server (which builds a package whole
# in memory) is meant to make; a screenshot is at most ~5 MB (1024 x 1600 RGB) and the JSON and HTML files are
# text about the same ads. An entry declaring more is a ZIP bomb, not evidence: it is refused without inflating.
MAX_ENTRY_BYTES = 1 << 30
INFLATE_STEP = 1 << 20  # compressed bytes fed, and most bytes taken out, per step of inflating an entry


@dataclass(frozen=True)
class ZipMember:
    """One entry as the checker read it; `data` is None when it could not be inflated intact."""

    name: str
    dos_time: tuple[int, int]  # (time, date) fields as stored
    data: bytes | None


@dataclass(frozen=True)
class ZipEntry:
    """One entry whose headers the checker read, not inflated yet: `inflate` does that within a bound."""

    name: str
    dos_time: tuple[int, int]  # (time, date) fields as stored
    compressed: memoryview | None = field(repr=False)  # None: headers too damaged to find or trust its data
    size: int = 0  # the uncompressed size its headers declare
    crc: int = 0

    def inflate(self, problems: list[str], expected_size: int | None = None) -> bytes | None:
        """The entry's bytes, or None with the reason added to `problems`; never inflates more than the smaller of
        its declared size and `expected_size` (+1 byte, to notice), and nothing when it declares more than
        `MAX_ENTRY_BYTES`."""
        if self.compressed is None:
            return None
        if self.size > MAX_ENTRY_BYTES:
            problems.append(f"{self.name}: its headers declare {self.size:,} bytes, more than the {MAX_ENTRY_BYTES:,} "
                            "a package entry may hold; not inflated (a ZIP bomb, not evidence)")
            return None
        limit = self.size if expected_size is None else min(self.size, expected_size)
        try:
            content, ended, trailing = _inflate_at_most(self.compressed, limit)
        except zlib.error as exc:
            problems.append(f"{self.name}: compressed data is damaged ({exc})")
            return None
        if len(content) > limit:
            problems.append(f"{self.name}: inflates to more than its declared {self.size} bytes" if limit == self.size
                            else f"{self.name}: inflates to more than the {limit} bytes the manifest gives it "
                                 "(reading stopped there); the file was altered")
            return None
        if not ended or trailing:
            problems.append(f"{self.name}: compressed data does not end where its size says")
            return None
        if len(content) != self.size:
            problems.append(f"{self.name}: inflates to {len(content)} bytes, not the declared {self.size}")
            return None
        if zlib.crc32(content) != self.crc:
            problems.append(f"{self.name}: CRC-32 does not match its contents")
            return None
        return bytes(content)


def dos_time(moment: datetime) -> tuple[int, int]:
    """The (time, date) fields a ZIP header stores for `moment` (2-second steps, no zone)."""
    return ((moment.hour << 11) | (moment.minute << 5) | (moment.second // 2),
            ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day)


def write_package_zip(files: dict[str, bytes], when: datetime) -> bytes:
    """The files, deflated, in the given order, every entry stamped `when` (UTC)."""
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as archive:
            for path, data in files.items():
                info = zipfile.ZipInfo(path, date_time=when.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = _EXTERNAL_ATTR
                archive.writestr(info, data)
    except zipfile.LargeZipFile as exc:
        raise LokerwatchError("the case package would exceed 4 GiB; split the lead into smaller leads") from exc
    return buffer.getvalue()


def read_package_entries(data: bytes) -> tuple[list[ZipEntry], list[str]]:
    """The entries of a package ZIP (not inflated yet) and every way its container differs from what the writer
    makes."""
    problems: list[str] = []
    end = _end_record(data, problems)
    if end is None:
        return [], problems
    entries, cd_offset, cd_size = end
    central = _central_directory(data, cd_offset, cd_size, entries, problems)
    if central is None:
        return [], problems
    members: dict[int, ZipEntry] = {}
    position = 0
    for index in sorted(range(len(central)), key=lambda i: central[i].offset):
        record = central[index]
        if record.offset != position:
            problems.append(f"{record.name}: {abs(record.offset - position)} bytes "
                            f"{'hidden before' if record.offset > position else 'overlapping'} this entry")
        position, members[index] = _local_entry(data, record, cd_offset, problems)
    if position != cd_offset:
        problems.append(f"{abs(cd_offset - position)} bytes hidden between the last entry and the central directory")
    # In central-directory order: the order every ZIP tool lists them in.
    return [members[index] for index in range(len(central))], problems


@dataclass(frozen=True)
class _CentralRecord:
    name: str
    fields: tuple[int, ...]  # version needed, flags, method, time, date, crc, compressed size, size
    offset: int


def _end_record(data: bytes, problems: list[str]) -> tuple[int, int, int] | None:
    if len(data) < _END.size:
        problems.append(f"not a ZIP file ({len(data)} bytes)")
        return None
    found = data.rfind(_END_SIG, max(0, len(data) - _END.size - 0xFFFF))
    if found < 0:
        problems.append("not a ZIP file, or cut short: no end-of-archive record")
        return None
    if found + _END.size > len(data):
        problems.append("cut short inside the end-of-archive record")
        return None
    _, disk, cd_disk, on_disk, total, cd_size, cd_offset, comment = _END.unpack_from(data, found)
    if found != len(data) - _END.size or comment:
        problems.append(f"{len(data) - found - _END.size} bytes after the end-of-archive record (a ZIP comment "
                        "or appended data); lokerwatch writes none")
        if found + _END.size + comment != len(data):
            return None
    if disk or cd_disk:
        problems.append("a multi-part ZIP; lokerwatch writes one part")
        return None
    if on_disk != total:
        problems.append(f"the end-of-archive record counts {on_disk} and {total} entries; lokerwatch writes one count")
    if cd_offset + cd_size != found:
        problems.append(f"the central directory (offset {cd_offset}, {cd_size} bytes) does not end at the "
                        f"end-of-archive record (offset {found}): the file is cut short or altered")
        return None
    return total, cd_offset, cd_size


def _central_directory(data: bytes, offset: int, size: int, entries: int,
                       problems: list[str]) -> list[_CentralRecord] | None:
    records: list[_CentralRecord] = []
    position, stop = offset, offset + size
    while position < stop:
        if position + _CENTRAL.size > stop or data[position:position + 4] != _CENTRAL_SIG:
            problems.append(f"central directory damaged at byte {position}")
            return None
        (_, made_by, needed, flags, method, time, date, crc, csize, usize, name_len, extra_len, comment_len,
         disk, internal, external, local) = _CENTRAL.unpack_from(data, position)
        name_end = position + _CENTRAL.size + name_len
        raw_name = data[position + _CENTRAL.size:name_end]
        name = raw_name.decode("ascii", errors="replace")
        if name_end > stop or not raw_name.isascii():
            problems.append(f"central directory entry at byte {position}: name is cut short or not ASCII")
            return None
        if made_by != _MADE_BY or disk or internal or external != _EXTERNAL_ATTR or extra_len or comment_len:
            problems.append(f"{name}: central-directory header altered (attributes, extra fields or comment "
                            "differ from what lokerwatch writes)")
        if _ZIP64_LIMIT in (csize, usize, local):
            problems.append(f"{name}: ZIP64 sizes; lokerwatch packages never use ZIP64")
        records.append(_CentralRecord(name, (needed, flags, method, time, date, crc, csize, usize), local))
        position = name_end + extra_len + comment_len
    if position != stop:
        problems.append("central directory damaged: its last record runs past its end")
        return None
    if len(records) != entries:
        problems.append(f"the end record counts {entries} entries but the central directory holds {len(records)}")
    return records


def _local_entry(data: bytes, record: _CentralRecord, cd_offset: int, problems: list[str]) -> tuple[int, ZipEntry]:
    """(end of this entry's data, the entry) for the entry whose local header is at `record.offset`."""
    needed, flags, method, time, date, crc, csize, usize = record.fields
    member = ZipEntry(record.name, (time, date), None)
    start = record.offset
    if start + _LOCAL.size > cd_offset or data[start:start + 4] != _LOCAL_SIG:
        problems.append(f"{record.name}: no local header where the central directory points (byte {start})")
        return start, member
    _, *local_fields, name_len, extra_len = _LOCAL.unpack_from(data, start)
    name = data[start + _LOCAL.size:start + _LOCAL.size + name_len]
    body = start + _LOCAL.size + name_len + extra_len
    end = body + csize
    if name != record.name.encode("ascii", errors="replace"):
        problems.append(f"{record.name}: the local header names it {name.decode('ascii', errors='replace')!r}; "
                        "ZIP tools would disagree on what this entry is")
    if tuple(local_fields) != record.fields:
        problems.append(f"{record.name}: local header differs from the central directory "
                        "(version, flags, method, time, CRC or sizes)")
    if needed != _VERSION or flags or method != _DEFLATED or extra_len:
        problems.append(f"{record.name}: entry header altered (version {needed}, flags {flags:#x}, method {method}, "
                        f"{extra_len} extra bytes; lokerwatch writes 20, 0x0, 8, 0)")
        return min(end, cd_offset), member
    if end > cd_offset:
        problems.append(f"{record.name}: compressed data runs into the central directory")
        return cd_offset, member
    return end, ZipEntry(record.name, (time, date), memoryview(data)[body:end], usize, crc)


def _inflate_at_most(compressed: memoryview, limit: int) -> tuple[bytearray, bool, bool]:
    """Inflate a raw deflate stream step by step until it ends or has given more than `limit` bytes: (what it gave,
    at most `limit` + 1 bytes; whether the stream ended; whether bytes follow its end). Memory stays within the
    limit and one step, whatever the stream would inflate to."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    content = bytearray()
    position = 0
    while not inflater.eof and len(content) <= limit:
        room = min(INFLATE_STEP, limit + 1 - len(content))  # never 0: zlib reads 0 as "no limit"
        pending: bytes | memoryview = inflater.unconsumed_tail
        if not pending and position < len(compressed):
            pending = compressed[position:position + INFLATE_STEP]
            position += len(pending)
        piece = inflater.decompress(pending, room)  # with no input left, what zlib still holds
        if not piece and not pending:
            break  # the input is used up and the stream has not ended
        content += piece
    trailing = bool(inflater.unused_data or inflater.unconsumed_tail) or position < len(compressed)
    return content, inflater.eof, trailing
