"""A real `stepline serve` for the Python harnesses: started on a free 127.0.0.1 port with its own
data directory, a boto3 client pointed at it, and kill -9 / restart for the crash test.

Debian's botocore predates some operations (ValidateStateMachineDefinition, TestState), so the
clients load the service model Stepline embeds through AWS_DATA_PATH (see tests/e2e)."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

ACCOUNT = "111111111111"  # the account the AWS recordings were made in
REGION = "us-east-1"
_LISTENING = re.compile(r"listening on http://([^:\s]+):(\d+)")
_help_cache = {}


def serve_help(binary):
    """`stepline serve --help`: the harnesses use the options the server offers today."""
    if binary not in _help_cache:
        try:
            r = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True,
                               timeout=60)
            _help_cache[binary] = r.stdout + r.stderr
        except (OSError, subprocess.TimeoutExpired):
            _help_cache[binary] = ""
    return _help_cache[binary]


def supports(binary, option):
    return re.search(re.escape(option) + r"\b", serve_help(binary)) is not None


def client_environment(model_path, home):
    """Environment for boto3/AWS CLI: the embedded model, dummy credentials, no retries."""
    model_dir = os.path.join(home, "models", "stepfunctions", "2016-11-23")
    os.makedirs(model_dir, exist_ok=True)
    shutil.copy(model_path, os.path.join(model_dir, "service-2.json"))
    env = {"AWS_DATA_PATH": os.path.join(home, "models"),
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": REGION, "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
           "AWS_CONFIG_FILE": os.path.join(home, "config"),
           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
           "AWS_EC2_METADATA_DISABLED": "true"}
    os.environ.update(env)
    return env


_session = None
_session_lock = threading.Lock()  # a boto3 session must not create clients concurrently


def make_client(endpoint, read_timeout=70, **config):
    """A stepfunctions client; one shared session, since loading the model costs ~1 s."""
    global _session
    import boto3
    import botocore.config
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session(aws_access_key_id="test",
                                             aws_secret_access_key="test", region_name=REGION)
        return _session.client("stepfunctions", endpoint_url=endpoint,
                               config=botocore.config.Config(
                                   retries={"max_attempts": 1, "mode": "standard"},
                                   connect_timeout=10, read_timeout=read_timeout,
                                   inject_host_prefix=False, **config))


class Server:
    """One `stepline serve` process. `data_dir` survives restarts (crash test)."""

    def __init__(self, binary, data_dir=None, extra_args=(), env=None, port=0, account=ACCOUNT):
        self.binary = binary
        self.account = account
        self.owns_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="stepline-serve-")
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, AWS_ACCOUNT_ID=account, AWS_DEFAULT_REGION=REGION,
                        **(env or {}))
        self.port = port
        self.process = None
        self.output = []

    def command(self):
        cmd = [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--data-dir", self.data_dir]
        account_option = next((o for o in ("--account", "--aws-account")
                               if supports(self.binary, o)), None)
        if account_option:
            cmd += [account_option, self.account]
        if supports(self.binary, "--region"):
            cmd += ["--region", REGION]
        return cmd + self.extra_args

    def start(self, timeout=60):
        self.output = []
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=self.env,
                                        errors="replace")
        ready = threading.Event()
        process = self.process

        def pump():
            for line in process.stdout:
                self.output.append(line)
                m = _LISTENING.search(line)
                if m and not ready.is_set():
                    self.port = int(m.group(2))
                    ready.set()
        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if process.poll() is not None or time.monotonic() > deadline:
                break  # died at startup (e.g. a sanitizer report) or never listened
        if not ready.is_set():
            self.kill()
            raise RuntimeError("server did not start: " + "".join(self.output)[-2000:])
        return self

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """kill -9: no chance to flush or clean up."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def stop(self, timeout=30):
        """SIGTERM, then the exit code (None if it had to be killed)."""
        if self.process is None:
            return None
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def close(self):
        self.stop(10)
        if self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, limit=1500):
        return "".join(self.output)[-limit:]


def probe_account(binary):
    """The account the server builds ARNs in (it may not take ours): read from a throwaway
    activity's ARN; ACCOUNT when the server cannot tell yet."""
    server = Server(binary)
    try:
        server.start()
        arn = make_client(server.endpoint).create_activity(name="probe")["activityArn"]
        return arn.split(":")[4]
    except Exception:  # noqa: BLE001 - an older server: assume ours
        return ACCOUNT
    finally:
        server.close()


def retarget(value, account):
    """A recorded value with the recording's account replaced by the server's."""
    if account == ACCOUNT:
        return value
    if isinstance(value, str):
        return value.replace(f":{ACCOUNT}:", f":{account}:")
    if isinstance(value, dict):
        return {k: retarget(v, account) for k, v in value.items()}
    if isinstance(value, list):
        return [retarget(v, account) for v in value]
    return value
