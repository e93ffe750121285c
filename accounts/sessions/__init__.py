"""A Django session engine on PynamoDB: ``SESSION_ENGINE = "accounts.sessions.dynamodb"``.

It reads django-dynamodb-sessions' setting names, so it replaces that (dead, boto 2) package
without touching settings: DYNAMODB_SESSIONS_TABLE_NAME, DYNAMODB_SESSIONS_TABLE_HASH_ATTRIB_NAME,
DYNAMODB_SESSIONS_ALWAYS_CONSISTENT, DYNAMODB_SESSIONS_AWS_ACCESS_KEY_ID,
DYNAMODB_SESSIONS_AWS_SECRET_ACCESS_KEY and DYNAMODB_SESSIONS_AWS_REGION_NAME.
"""
