"""The comparison (issue 17): what a competent user writes in ~35 lines instead of jobinventory.

boto3 paginators on a ThreadPoolExecutor(32): one client per (service,
region) made up front (boto3 sessions are not thread-safe, clients are),
every (region, operation) listed at its largest page size, each summary
written as a JSON line. Run as its own process by benchmarks/versus.py:

    python -m benchmarks.threaded_boto3 ENDPOINT_URL REGIONS OPERATIONS_JSON

OPERATIONS_JSON: [[service, operation, list_key, page_size], ...].
"""
import json
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

import boto3
from botocore import xform_name


def pages(client, operation, page_size):
    method = xform_name(operation)
    if client.can_paginate(method):
        yield from client.get_paginator(method).paginate(PaginationConfig={"PageSize": page_size})
        return
    # No paginator (Personalize ListDataDeletionJobs): a token loop, names from the model.
    names = {m.lower(): m for m in client.meta.service_model.operation_model(operation).input_shape.members}
    token, params = names["nexttoken"], {names["maxresults"]: page_size}
    while True:
        page = getattr(client, method)(**params)
        yield page
        if not page.get(token):
            return
        params[token] = page[token]


def list_stream(client, operation, key, page_size):
    return [item for page in pages(client, operation, page_size) for item in page.get(key, [])]


def main(endpoint_url, regions, operations):
    session = boto3.Session()
    clients = {(s, r): session.client(s, region_name=r, endpoint_url=endpoint_url)
               for r in regions for s in {op[0] for op in operations}}
    with ThreadPoolExecutor(32) as pool:
        futures = [pool.submit(list_stream, clients[service, region], operation, key, size)
                   for region in regions for service, operation, key, size in operations]
        out = sys.stdout
        for future in as_completed(futures):
            for item in future.result():
                out.write(json.dumps(item, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2].split(","), json.loads(sys.argv[3]))
