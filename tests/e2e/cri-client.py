#!/usr/bin/python3
# cri-client.py GENDIR SOCKET METHOD [JSON]: one call of the CRI v1
# RuntimeService over SOCKET. The request is JSON (protobuf's JSON mapping of
# the message in cri-api.proto), the response is printed as JSON. GENDIR holds
# the modules grpc_tools.protoc generated from cri-api.proto. A failed call
# prints the gRPC status code and details on stderr and exits 1.
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402
import cri_api_pb2 as api  # noqa: E402
import cri_api_pb2_grpc as api_grpc  # noqa: E402


def main():
    sock, method = sys.argv[2], sys.argv[3]
    body = sys.argv[4] if len(sys.argv) > 4 else "{}"
    req = json_format.Parse(body, getattr(api, method + "Request")())
    with grpc.insecure_channel("unix://" + sock) as ch:
        stub = api_grpc.RuntimeServiceStub(ch)
        try:
            resp = getattr(stub, method)(req, timeout=60)
        except grpc.RpcError as e:
            sys.stderr.write("%s: %s\n" % (e.code().name, e.details()))
            return 1
    print(json_format.MessageToJson(resp, preserving_proto_field_name=True, indent=None))
    return 0


sys.exit(main())
