"""Delivery of web push notifications: the outbox worker (``flask worker``) and its wake-up signal."""
