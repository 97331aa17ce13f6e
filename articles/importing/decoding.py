"""Bytes into text, by what the input declares, then by detection; never a silent guess.

In order: a byte order mark; UTF-16 or UTF-32 recognised by its byte pattern (markup starts with
ASCII, so every other byte of it is zero); the charset the server declared (HTTP Content-Type)
and the one the input declares itself (`<?xml … encoding=…?>`, `<meta charset=…>`), each only if
the bytes really are in it; UTF-8; then detection (charset-normalizer). A label is read as the web
reads it (WHATWG): `iso-8859-1` is Windows-1252, `gb2312` is GB18030, `shift_jis` is Windows-932.
What decided is recorded (`Decoded.basis`), and a declaration the bytes contradict, or bytes no
encoding could read (shown as U+FFFD), is a warning in the report.
"""

import codecs
import re
from dataclasses import dataclass, field

from .parsed import ImportFailed

# Text has few control characters; binary data (images, archives, noise) has many.
CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})
BINARY_SHARE = 0.05

# Labels read as the encoding the web reads them as: each a superset of what it names, so that a
# page declaring the smaller one but using the larger (GB2312 with GBK characters, Shift_JIS with
# Windows extensions, "ISO-8859-1" with curly quotes) decodes whole.
SUPERSETS = {
    "ascii": "cp1252", "latin_1": "cp1252", "iso8859-1": "cp1252",
    "iso8859-9": "cp1254", "tis-620": "cp874", "iso8859-11": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030",
    "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs",
}
# What servers send when nobody chose: a document that declares something else is believed over it.
SERVER_DEFAULTS = {"cp1252"}
# Encodings in which valid multi-byte UTF-8 is no accident: bytes that are valid UTF-8 and not
# ASCII, declared as one of these, are UTF-8 (the commonest mislabelling on the web).
UNICODE = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}

BOMS = [  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]

XML_DECLARATION = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\b(?:charset\s*=\s*["']?|content\s*=\s*["'][^"'>]*?charset\s*=\s*)([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
HEAD_BYTES = 4096  # where an in-document declaration must stand


@dataclass
class Decoded:
    """An input's text, the bytes it came from, and how they were read."""

    text: str
    data: bytes
    encoding: str  # a Python codec name
    basis: str  # what decided the encoding, for the report
    warnings: list[str] = field(default_factory=list)
    whole: bool = True  # False when bytes no encoding could read were replaced by U+FFFD
    exact: bool = True  # False when the text is not the bytes read in `encoding` (replaced or left out)

    @property
    def described(self) -> str:
        return f"{display_name(self.encoding)} ({self.basis})"


def display_name(encoding: str) -> str:
    names = {"cp1252": "Windows-1252", "cp1251": "Windows-1251", "cp932": "Shift_JIS (Windows-932)",
             "cp949": "EUC-KR (Windows-949)", "big5hkscs": "Big5 (HKSCS)", "gb18030": "GB18030"}
    return names.get(encoding, encoding.upper().replace("ISO8859-", "ISO-8859-"))


def codec_for(label: str) -> str | None:
    """The codec a declared label is read with, or None for a label no codec has."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return SUPERSETS.get(name, name)


def unicode_by_pattern(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, by where the zero bytes of its ASCII opening fall."""
    head = data[:256]
    if len(head) < 8:
        return None
    for size, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        units = [head[i:i + size] for i in range(0, len(head) - size + 1, size)]
        ascii_le = sum(1 for u in units if u[0] and not any(u[1:]))
        ascii_be = sum(1 for u in units if u[-1] and not any(u[:-1]))
        if ascii_le > 0.6 * len(units):
            return names[0]
        if ascii_be > 0.6 * len(units):
            return names[1]
    return None


def looks_binary(data: bytes) -> bool:
    """Many control bytes (NUL among them) at its start: an image, an archive, noise. (A stray NUL in
    a feed is a publisher's slip, and is left out of its text.)"""
    head = data[:8192]
    return bool(head) and len(head) - len(head.translate(None, CONTROL_BYTES)) > BINARY_SHARE * len(head)


def declarations(data: bytes, http_charset: str | None) -> list[tuple[str, str]]:
    """(label, who declared it), in the order they are believed."""
    found = []
    if http_charset:
        found.append((http_charset, "declared by the server's Content-Type"))
    head = data[:HEAD_BYTES]
    if match := XML_DECLARATION.match(head):
        found.append((match[1].decode("ascii"), "declared by its XML declaration"))
    elif match := META_CHARSET.search(head):
        found.append((match[1].decode("ascii"), "declared by its <meta charset>"))
    if len(found) == 2 and codec_for(found[0][0]) in SERVER_DEFAULTS and codec_for(found[1][0]) != codec_for(found[0][0]):
        found.reverse()  # a server's default charset against the document's own choice
    return found


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Encodings by how much of the web is written in them: of the readings detection finds about as
# good, the commoner wins (Portuguese in Windows-1252 reads as well as in Windows-1257 or -1250).
COMMON = [
    "utf-8", "cp1252", "cp1251", "cp932", "gb18030", "cp949", "euc_jp", "big5hkscs", "cp1250", "iso8859-2",
    "cp1256", "koi8-r", "cp1253", "cp1254", "cp1255", "cp874", "cp1257", "cp1258",
]
SAMPLE_BYTES = 65536


def detected(data: bytes) -> str | None:
    """The encoding charset-normalizer finds, judged on the lines that need one (in a feed or a
    page the markup is ASCII and outweighs them), the commoner of near-equal readings preferred."""
    from charset_normalizer import from_bytes  # here: a web process that imports nothing starts faster

    sample = b"\n".join(line for line in data[:4 * SAMPLE_BYTES].split(b"\n") if not line.isascii())[:SAMPLE_BYTES] or data
    readings = list(from_bytes(sample))
    if not readings:
        return None
    best = readings[0]
    near = [one for one in readings if one.chaos <= best.chaos + 0.005 and one.coherence >= best.coherence - 0.1]
    codecs_ = [codec for one in near if (codec := codec_for(one.encoding))]
    ranked = sorted(codecs_, key=lambda codec: COMMON.index(codec) if codec in COMMON else len(COMMON))
    return ranked[0] if ranked else codec_for(best.encoding)


def decode(data: bytes, *, http_charset: str | None = None) -> Decoded:
    """The text of an input's bytes (see the module's docstring); ImportFailed for binary data."""
    decoded = text_of(data, http_charset)
    if nuls := decoded.text.count("\x00"):  # never text, and no database stores it
        decoded.text, decoded.exact = decoded.text.replace("\x00", ""), False
        decoded.warnings.append(f"{nuls:,} NUL characters in it were left out")
    return decoded


def text_of(data: bytes, http_charset: str | None) -> Decoded:
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return strictly(data, encoding, "its byte order mark", skip=len(mark))
    if encoding := unicode_by_pattern(data):
        return strictly(data, encoding, "recognised by its byte pattern; no byte order mark")
    if looks_binary(data):
        raise ImportFailed("it is a binary file, not text")
    warnings = []
    for label, declared_by in declarations(data, http_charset):
        encoding = codec_for(label)
        if encoding is None:
            warnings.append(f"it declares an encoding no one knows ({label!r}, {declared_by}); it was read as detected")
            continue
        if encoding not in UNICODE and not data.isascii() and is_utf8(data):
            warnings.append(f"it is declared as {display_name(encoding)} ({declared_by}) but is UTF-8, and was read as UTF-8")
            return Decoded(data.decode("utf-8"), data, "utf-8", f"valid UTF-8, against the {label!r} it declares", warnings)
        try:
            return Decoded(data.decode(encoding), data, encoding, declared_by, warnings)
        except UnicodeDecodeError as error:
            warnings.append(f"it is declared as {display_name(encoding)} ({declared_by}) but byte {error.start} is not "
                            f"{display_name(encoding)}; it was read as detected")
    try:
        return Decoded(data.decode("utf-8"), data, "utf-8", "ASCII" if data.isascii() else "valid UTF-8", warnings)
    except UnicodeDecodeError:
        pass
    encoding = detected(data)
    if encoding:
        try:
            return Decoded(data.decode(encoding), data, encoding, "detected by charset-normalizer", warnings)
        except UnicodeDecodeError:
            pass
    decoded = strictly(data, "utf-8", "no encoding declared or detected")
    decoded.warnings[:0] = warnings
    return decoded


def strictly(data: bytes, encoding: str, basis: str, *, skip: int = 0) -> Decoded:
    """Decoded as `encoding`; bytes that are not in it become U+FFFD, and a warning says how many."""
    body = data[skip:]
    try:
        return Decoded(body.decode(encoding), data, encoding, basis)
    except UnicodeDecodeError:
        text = body.decode(encoding, errors="replace")
        lost = text.count("\ufffd") - body.decode(encoding, errors="ignore").count("\ufffd")
        return Decoded(text, data, encoding, basis, [
            f"{lost:,} of its characters could not be read as {display_name(encoding)} ({basis}) and show as “\ufffd”: "
            "its text is not whole"
        ], whole=False, exact=False)
