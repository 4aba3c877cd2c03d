"""Write the OpenAPI document generated from the code: ``python -m api.spec_export openapi/openapi.json``."""

import json
import sys

from api import create_app


def spec_json() -> str:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "spec", "JWT_SECRET_KEY": "spec",
                      "VAPID_PRIVATE_KEY": "spec", "VAPID_PUBLIC_KEY": "spec"})
    with app.app_context():
        spec = app.extensions["buurtwacht_api"].spec.to_dict()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "openapi/openapi.json"
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(spec_json())
    print(f"wrote {target}")
