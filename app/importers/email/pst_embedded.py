"""A message attached to a message inside a PST: its properties, read from the attachment's bytes.

libpff reads an embedded message's bytes but offers no object for it, so its property
context is read here (MS-PST 2.3: a heap-on-node holding a BTree of properties). Values
kept in the heap are read (subject, sender, dates, ids, a short body); values kept in
sub-nodes (a long body, the embedded message's own recipients and attachments) are not
reachable through the library, and the item says so instead of guessing.
"""

import struct

from app.importers.email.mapi_props import Props

HEAP_SIGNATURE, PROPERTY_CONTEXT, BTREE_ON_HEAP = 0xEC, 0xBC, 0xB5
_INLINE_TYPES = {0x0002: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x000B: 1}  # fixed values held in the record
UNICODE_BLOCK, ANSI_BLOCK = 8176, 8180  # data bytes of one block in a Unicode / ANSI store


class NotAPropertyContext(ValueError):
    """The bytes are not a message's property context (a damaged attachment)."""


class _Heap:
    def __init__(self, data: bytes, block_size: int):
        self.data, self.block_size = data, block_size

    def allocation(self, hid: int) -> bytes:
        """The bytes a heap id names; empty for an id outside the heap."""
        index, block = (hid >> 5) & 0x7FF, hid >> 16
        base = block * self.block_size
        if index == 0 or base + 2 > len(self.data):
            return b""
        page_map = base + struct.unpack_from("<H", self.data, base)[0]
        if page_map + 4 > len(self.data):
            return b""
        count = struct.unpack_from("<H", self.data, page_map)[0]
        if index > count or page_map + 4 + 2 * (index + 1) > len(self.data):
            return b""
        start, end = struct.unpack_from("<HH", self.data, page_map + 4 + 2 * (index - 1))
        return self.data[base + start : base + end] if start <= end else b""


def embedded_properties(data: bytes, unicode_store: bool = True) -> tuple[Props, list[int]]:
    """({property id: (type, bytes)}, ids of properties held in sub-nodes and not read)."""
    if len(data) < 12 or data[2] != HEAP_SIGNATURE or data[3] != PROPERTY_CONTEXT:
        raise NotAPropertyContext("the attached message's properties are not in the form Outlook writes")
    heap = _Heap(data, UNICODE_BLOCK if unicode_store else ANSI_BLOCK)
    header = heap.allocation(struct.unpack_from("<I", data, 4)[0])
    if len(header) < 8 or header[0] != BTREE_ON_HEAP:
        raise NotAPropertyContext("the attached message's property tree cannot be found")
    key_size, levels = header[1], header[3]
    records = _leaf_records(heap, struct.unpack_from("<I", header, 4)[0], key_size, levels)
    props: Props = {}
    unread = []
    for record in records:
        if len(record) < key_size + 6:
            continue
        tag, kind, value = struct.unpack_from("<HHI", record, 0)
        if kind in _INLINE_TYPES:
            props[tag] = (kind, struct.pack("<I", value)[: _INLINE_TYPES[kind]])
        elif value & 0x1F == 0:
            props[tag] = (kind, heap.allocation(value))
        else:  # a sub-node: not reachable through the library
            unread.append(tag)
    return props, unread


def _leaf_records(heap: _Heap, hid: int, key_size: int, levels: int, depth: int = 0) -> list[bytes]:
    """The BTree's leaf records (2-byte key, 6-byte entry), following index levels."""
    block = heap.allocation(hid)
    if levels == 0:
        size = key_size + 6
        return [block[i : i + size] for i in range(0, len(block) - size + 1, size)]
    if depth > 8:
        return []
    size = key_size + 4
    found = []
    for i in range(0, len(block) - size + 1, size):
        child = struct.unpack_from("<I", block, i + key_size)[0]
        found.extend(_leaf_records(heap, child, key_size, levels - 1, depth + 1))
    return found
