"""One redaction point: registered secrets and private keys never pass."""
import base64

from fixtures.core.redaction import redact, register_secret


def test_registered_secret_and_its_base64_form_are_masked():
    register_secret("canary-password-123")
    text = f"password=canary-password-123 data={base64.b64encode(b'canary-password-123').decode()}"
    assert "canary" not in redact(text)
    assert "Y2FuYXJ5" not in redact(text)


def test_private_keys_are_removed_by_shape():
    pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----"
    assert "MIGHAgEAMBMG" not in redact(f"key:\n{pem}\n")


def test_base64_private_keys_are_removed_but_certificates_kept():
    key = base64.b64encode(b"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIB\n-----END RSA PRIVATE KEY-----\n").decode()
    cert = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIDhDCC\n-----END CERTIFICATE-----\n").decode()
    text = redact(f"tls.key: {key}\ntls.crt: {cert}\n")
    assert key not in text and "tls.key: [REDACTED]" in text
    assert cert in text


def test_an_exported_log_folder_is_redacted_file_by_file(tmp_path):
    from fixtures.core.redaction import new_secret, redact_tree

    secret = new_secret()
    (tmp_path / "node" / "pods").mkdir(parents=True)
    (tmp_path / "node" / "pods" / "controller.log").write_text(f"token {secret} seen\n")
    (tmp_path / "image.tar").write_bytes(b"\xff\xfe\x00binary")
    redact_tree(tmp_path)
    assert secret not in (tmp_path / "node" / "pods" / "controller.log").read_text()
    assert (tmp_path / "image.tar").read_bytes() == b"\xff\xfe\x00binary"


def test_a_command_line_carrying_a_secret_is_redacted_in_the_transcript(tmp_path):
    """`helm install --set aws.secretkey=...` is the page's own form."""
    import sys
    from pathlib import Path

    from fixtures.core.commands import Cli
    from fixtures.core.redaction import new_secret

    secret = new_secret()
    transcript = tmp_path / "commands.log"
    Cli("python", Path(sys.executable), None, transcript).run("-c", "pass", f"--set=aws.secretkey={secret}")
    assert secret not in transcript.read_text() and "aws.secretkey=" in transcript.read_text()
