"""The client's models against the server's OpenAPI document (/openapi/v1.json of the running Sweep).

Every model declares, in ``CONTRACTS``, which operation's response it reads and the JSON fields it takes from it; these
tests resolve each one in the document and check that the field is there with the type the model converts it to.
"""

import json
import os
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sweep_client import MetricPoint, Page, Sweep, SweepApiError, SweepCreated, Trial  # noqa: E402
from sweep_client.models import Contract  # noqa: E402

MODELS = [SweepCreated, Trial, Sweep, MetricPoint, Page, SweepApiError]


def document():
    url = os.environ.get("SWEEP_URL")
    if not url:
        raise AssertionError("SWEEP_URL must name a running Sweep")
    with urllib.request.urlopen(url.rstrip("/") + "/openapi/v1.json", timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


class Resolver:
    def __init__(self, doc):
        self.doc = doc

    def resolve(self, schema):
        """Follows $ref and the nullable wrappers (oneOf/anyOf with a null branch) to the schema that holds the type."""
        while True:
            if "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[-1]
                schema = self.doc["components"]["schemas"][name]
                continue
            branches = [b for b in schema.get("oneOf", schema.get("anyOf", [])) if self.types(b) != {"null"}]
            if len(branches) == 1:
                schema = branches[0]
                continue
            return schema

    def types(self, schema):
        if "$ref" in schema:
            return self.types(self.resolve(schema))
        declared = schema.get("type")
        if declared is None and ("anyOf" in schema or "oneOf" in schema):
            return set().union(*(self.types(b) for b in schema.get("anyOf", schema.get("oneOf", []))))
        if declared is None:
            return {"object"} if "properties" in schema or "additionalProperties" in schema else set()
        return {declared} if isinstance(declared, str) else set(declared)

    def response(self, operation_id, status):
        for path, methods in self.doc["paths"].items():
            for method, operation in methods.items():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    responses = operation.get("responses", {})
                    if status not in responses:
                        raise AssertionError(f"{operation_id} ({method.upper()} {path}) documents no {status} response")
                    content = responses[status].get("content", {})
                    media = content.get("application/json") or content.get("application/problem+json")
                    if media is None or "schema" not in media:
                        raise AssertionError(f"{operation_id} {status} has no JSON schema: {sorted(content)}")
                    return media["schema"]
        raise AssertionError(f"the document has no operation {operation_id}")


    def problems(self, name, contract):
        """What is wrong with one contract: fields the document lacks or types it does not allow."""
        schema = self.resolve(self.response(contract.operation, contract.status))
        for step in contract.path:
            schema = self.resolve(schema["items"] if step == "[]" else schema["properties"][step])
        properties = schema.get("properties", {})
        found = []
        for field, expected in contract.fields.items():
            if field not in properties:
                found.append(f"{name} reads '{field}', which {contract.operation} {contract.status} does not declare")
            elif expected not in self.types(properties[field]):
                found.append(f"{name}.{field} is read as {expected}; the document says {properties[field]}")
        return found


class ModelContractTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.resolver = Resolver(document())

    def test_every_model_reads_fields_the_document_declares_with_the_same_types(self):
        fields = 0
        for model in MODELS:
            for contract in model.CONTRACTS:
                with self.subTest(model=model.__name__, operation=contract.operation, status=contract.status):
                    self.assertEqual([], self.resolver.problems(model.__name__, contract))
                fields += len(contract.fields)
        self.assertGreater(fields, 25)

    def test_a_renamed_or_retyped_field_is_reported(self):
        wrong = Contract("GetSweep", "200", (), {"trialCountTotal": "integer", "name": "integer", "id": "string"})
        problems = self.resolver.problems("Sweep", wrong)
        self.assertEqual(2, len(problems), problems)
        self.assertIn("trialCountTotal", problems[0])
        self.assertIn("name", problems[1])


if __name__ == "__main__":
    unittest.main()
