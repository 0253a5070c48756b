"""Pure domain rules of Netwerkbord: roles, boards, scripts, the meeting state and its
transitions, permissions, the model the browser gets as data (model.py), exports.

Nothing in this package does I/O; the server asks it for decisions.
"""
