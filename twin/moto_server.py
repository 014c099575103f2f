"""Serves moto's S3 API on 127.0.0.1 for the twin (twin/moto-server.ts): a free port, quiet; prints
{"port": N} once listening and stops when its parent closes stdin (so it never outlives the parent)."""

import json
import logging
import sys

from moto.server import ThreadedMotoServer


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    print(json.dumps({"port": server._server.port}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
