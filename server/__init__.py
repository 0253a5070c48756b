"""Netwerkbord server: HTTP and WebSocket I/O around the rules in `board`."""
