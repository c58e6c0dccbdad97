class ValidationError(Exception):
    pass


def handler(event, context):
    name = event.get("name") if isinstance(event, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("the input needs a non-empty \"name\"")
    return {"name": name.strip()}
