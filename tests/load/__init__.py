"""Load-and-fault suite: real gunicorn instances, real sockets on 127.0.0.1, kill -9."""
