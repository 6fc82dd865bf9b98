"""An email backend standing in for a mail server that is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += len(email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
