"""Pure domain rules of Netwerkbord: roles, boards, phases, permissions, exports.

Nothing in this package does I/O; the server asks it for decisions.
"""
