"""logbuf - the kernel log ring's rules, apart from gdb.

The ring is struct msgbuf (kernel/msgbuf.h): msg_magic, msg_size,
msg_bufx (bytes ever written) and msg_bufc[msg_size]. Byte number n of the
log lives at msg_bufc[n % msg_size]. While msg_bufx <= msg_size nothing was
overwritten and the log is msg_bufc[0:msg_bufx]; after that the oldest byte
still kept is at msg_bufx % msg_size.

Nothing here imports gdb, so tests/gdb checks these rules on the host.
"""

MSG_MAGIC = 0x063061


def check_header(magic, size, bufx, capacity):
    """None if the header can be trusted, else why not (one line).
    capacity is the length of msg_bufc in this build's DWARF."""
    if magic != MSG_MAGIC:
        return ("bad magic 0x%x (expected 0x%x): not set up yet, or overwritten"
                % (magic, MSG_MAGIC))
    if size == 0 or size > capacity:
        return "size %d is absurd (the ring has room for %d bytes)" % (size, capacity)
    return None


def spans(size, bufx):
    """The (offset, length) pieces of msg_bufc that hold the log, oldest
    first, and how many bytes the ring has overwritten."""
    if bufx <= size:
        return ([(0, bufx)] if bufx else []), 0
    start = bufx % size
    pieces = [(start, size - start)]
    if start:
        pieces.append((0, start))
    return pieces, bufx - size


def lines(data, lost):
    """The log's lines from the bytes the spans hold. After a wrap, the
    first line is a fragment of an overwritten one and is dropped."""
    text = data.replace(b"\0", b"").decode("utf-8", "replace").replace("\r\n", "\n")
    if lost and "\n" in text:
        text = text.split("\n", 1)[1]
    result = text.split("\n")
    if result and result[-1] == "":
        result.pop()
    return result


def tail(all_lines, count):
    """The last count lines (all of them if count is None)."""
    if count is None:
        return all_lines
    return all_lines[-count:] if count > 0 else []
