"""The priority rule of the queue: which waiting ticket a desk calls next.

One rule for calling (services.call_next) and for telling a citizen how many people will be
called before them (queries.people_ahead), so the two cannot disagree.
"""


def priority_first(site, streak: int, priority_head, normal_head) -> bool:
    """Whether the next call takes the oldest waiting priority ticket rather than the oldest
    normal one. Strict: always. Interleave N: when it is older than the normal one, or
    after N normal tickets in a row at this desk (`streak`)."""
    if priority_head is None:
        return False
    if normal_head is None or site.priority_policy == "strict":
        return True
    return (streak >= max(site.interleave_n, 1)
            or priority_head.issued_at <= normal_head.issued_at)


def calls_before(site, waiting: list, ticket, streak: int = 0) -> int:
    """Count the calls a desk makes before `ticket`, replaying the rule over `waiting` (the
    queue's waiting tickets, oldest first, `ticket` among them; rows with id, priority and
    issued_at are enough) from a normal streak."""
    priority = [t for t in waiting if t.priority]
    normal = [t for t in waiting if not t.priority]
    calls = 0
    while True:
        queue = priority if priority_first(site, streak, priority[0] if priority else None,
                                           normal[0] if normal else None) else normal
        called = queue.pop(0)
        if called.id == ticket.id:
            return calls
        streak = 0 if called.priority else streak + 1
        calls += 1
