"""The order workflow's Lambda handlers (validate, reserve stock, charge, release stock).

They are stateless and deterministic (ids derive from the order id) so that a retried or
re-dispatched invocation gives the same answer, as Step Functions' at-least-once tasks require.
Errors are exceptions whose class name becomes the Step Functions error name.
"""
import hashlib


class ValidationError(Exception):
    pass


class PaymentDeclined(Exception):
    pass


class PaymentGatewayTimeout(Exception):
    pass


def _id(prefix, order_id):
    return prefix + hashlib.sha1(order_id.encode()).hexdigest()[:10]


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_order(event, context):
    if not isinstance(event, dict):
        raise ValidationError("the order must be a JSON object")
    order_id = event.get("orderId")
    if not isinstance(order_id, str) or not order_id.strip():
        raise ValidationError("orderId must be a non-empty string")
    for field in ("email", "address", "paymentToken"):
        if not isinstance(event.get(field), str) or not event[field].strip():
            raise ValidationError(f"order {order_id}: {field} must be a non-empty string")
    items = event.get("items")
    if not isinstance(items, list) or not items:
        raise ValidationError(f"order {order_id}: items must be a non-empty list")
    normalized, total = [], 0
    for n, item in enumerate(items):
        sku = item.get("sku") if isinstance(item, dict) else None
        quantity = item.get("quantity") if isinstance(item, dict) else None
        price = item.get("price") if isinstance(item, dict) else None
        if not isinstance(sku, str) or not sku:
            raise ValidationError(f"order {order_id}: item {n} has no sku")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
            raise ValidationError(f"order {order_id}: item {sku} needs a positive integer quantity")
        if not _is_number(price) or price < 0:
            raise ValidationError(f"order {order_id}: item {sku} needs a price >= 0")
        normalized.append({"sku": sku, "quantity": quantity, "price": price})
        total += quantity * price
    return {
        "orderId": order_id.strip(),
        "email": event["email"].strip(),
        "address": event["address"].strip(),
        "items": normalized,
        "total": round(total, 2),
        "paymentToken": event["paymentToken"],
    }


def reserve_inventory(event, context):
    return {"reservationId": _id("res-", event["orderId"]),
            "skus": [item["sku"] for item in event["items"]]}


def charge_payment(event, context):
    token, attempt = event["paymentToken"], event.get("attempt", 0)
    if token == "tok_declined":
        raise PaymentDeclined(f"order {event['orderId']}: the card was declined")
    # A test token whose first attempt times out at the gateway: the Retry of the Charge state
    # gets the second attempt through ($$.State.RetryCount arrives as "attempt").
    if token == "tok_gateway_timeout" and attempt == 0:
        raise PaymentGatewayTimeout(f"order {event['orderId']}: the payment gateway did not answer")
    return {"chargeId": _id("ch-", event["orderId"]), "amount": event["amount"]}


def release_inventory(event, context):
    # Idempotent: releasing an order with no reservation (its Reserve branch was cancelled
    # before it reserved anything) is not an error.
    return {"released": _id("res-", event["orderId"])}
