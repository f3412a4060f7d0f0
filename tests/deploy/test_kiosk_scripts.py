"""deploy/kiosk: the scripts parse, the launcher builds the right Chromium command for the kiosk
and the TV, and the installer's dry run writes the files it would install (nothing is installed,
no browser is started)."""
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[2] / "deploy" / "kiosk"
SCRIPTS = ["install-kiosk.sh", "kiosk-browser", "kiosk-session"]
SERVER = "http://192.168.1.10:8000"
KIOSK_FLAGS = {
    "--kiosk", "--kiosk-printing", "--no-first-run", "--noerrdialogs", "--disable-translate",
    "--disable-features=Translate,TranslateUI", "--disable-pinch",
    "--overscroll-history-navigation=0", "--disable-session-crashed-bubble",
    "--check-for-update-interval=31536000", "--password-store=basic",
}
AUTOPLAY = "--autoplay-policy=no-user-gesture-required"


def write_config(path: Path, **settings: str) -> Path:
    path.write_text("".join(f'{key}="{value}"\n' for key, value in settings.items()))
    return path


def launcher(config: Path, *args: str) -> subprocess.CompletedProcess:
    """Run kiosk-browser with a config file of the test's own."""
    return subprocess.run(["bash", str(KIT / "kiosk-browser"), *args], capture_output=True,
                          text=True, timeout=30,
                          env={**os.environ, "KIOSK_BROWSER_CONFIG": str(config)})


def dry_command(config: Path) -> list[str]:
    """The Chromium command the launcher prints with --dry-run, as a list of arguments."""
    result = launcher(config, "--dry-run")
    assert result.returncode == 0, result.stderr
    return shlex.split(result.stdout)


def install(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(KIT / "install-kiosk.sh"), "--dry-run", *args],
                          capture_output=True, text=True, timeout=30)


def steps(output: str) -> list[list[str]]:
    """The commands a dry run printed ("+ cmd args…"), each as a list of arguments."""
    return [shlex.split(line[2:]) for line in output.splitlines()
            if line.startswith("+ ") and not line.startswith(("+ wrote ", "+ write "))]


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_parse(script):
    result = subprocess.run(["bash", "-n", str(KIT / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(KIT / script, os.X_OK), f"{script} is not executable"


def test_scripts_pass_shellcheck():
    if not shutil.which("shellcheck"):
        print("\n!!! shellcheck is not installed (apt-get install -y shellcheck): SKIPPED",
              file=sys.stderr)
        pytest.skip("shellcheck is not installed (apt-get install -y shellcheck): SKIPPED")
    result = subprocess.run(["shellcheck", *SCRIPTS], cwd=KIT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kiosk_command_prints_silently_and_keeps_its_profile(tmp_path):
    config = write_config(tmp_path / "kiosk-browser", SERVER=SERVER + "/", ROLE="kiosk",
                          PROFILE_DIR="/home/kiosk/kiosk-profile")
    command = dry_command(config)
    assert Path(command[0]).name in {"chromium", "chromium-browser"}
    assert KIOSK_FLAGS <= set(command)
    assert "--user-data-dir=/home/kiosk/kiosk-profile" in command
    assert AUTOPLAY not in command
    assert command[-1] == SERVER + "/kiosk"


@pytest.mark.parametrize(("desks", "url"), [
    ("", SERVER + "/display?site=DEMO"),
    ("1,2", SERVER + "/display?site=DEMO&desks=1,2"),
])
def test_tv_command_plays_sound_without_a_tap(tmp_path, desks, url):
    config = write_config(tmp_path / "kiosk-browser", SERVER=SERVER, ROLE="tv", SITE="DEMO",
                          DESKS=desks, PROFILE_DIR="/home/kiosk/kiosk-profile")
    command = dry_command(config)
    assert AUTOPLAY in command
    assert KIOSK_FLAGS - {"--kiosk-printing"} <= set(command)
    assert "--kiosk-printing" not in command
    assert command[-1] == url


@pytest.mark.parametrize(("settings", "message"), [
    ({"SERVER": SERVER, "ROLE": "tv"}, "needs SITE"),
    ({"SERVER": SERVER, "ROLE": "board"}, "ROLE must be kiosk or tv"),
    ({"ROLE": "kiosk"}, "SERVER is empty"),
])
def test_launcher_refuses_an_incomplete_config(tmp_path, settings, message):
    result = launcher(write_config(tmp_path / "kiosk-browser", **settings), "--dry-run")
    assert result.returncode == 2
    assert message in result.stderr


def test_launcher_clears_the_crash_state_and_starts_the_browser(tmp_path):
    """After a power cut Chromium's profile says it crashed; the launcher marks it clean first."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    prefs = profile / "Default" / "Preferences"
    prefs.write_text('{"profile":{"exit_type":"Crashed","exited_cleanly":false,"name":"x"}}')
    record = tmp_path / "arguments"
    browser = tmp_path / "fake-chromium"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n')
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    config = write_config(tmp_path / "kiosk-browser", SERVER=SERVER, ROLE="kiosk",
                          PROFILE_DIR=str(profile), BROWSER=str(browser), WAIT_SECONDS="0")
    result = launcher(config)
    assert result.returncode == 0, result.stderr
    assert json.loads(prefs.read_text())["profile"] == {
        "exit_type": "Normal", "exited_cleanly": True, "name": "x"}
    arguments = record.read_text().splitlines()
    assert arguments[-1] == SERVER + "/kiosk" and "--kiosk-printing" in arguments


def test_install_kiosk_with_printer_writes_the_session_and_makes_the_printer_default(tmp_path):
    root = tmp_path / "root"
    result = install("--server", SERVER, "--role", "kiosk", "--root", str(root),
                     "--printer", "TICKETS", "--printer-uri", "socket://192.168.1.50:9100",
                     "--printer-ppd", "/opt/pos80/pos80.ppd")
    assert result.returncode == 0, result.stderr
    commands = steps(result.stdout)
    install_line = next(c for c in commands if "install" in c and "-y" in c)
    assert {"chromium", "xinit", "openbox", "x11-xserver-utils", "cups"} <= set(install_line) or \
        {"chromium-browser", "xinit", "openbox", "x11-xserver-utils", "cups"} <= set(install_line)
    assert ["useradd", "--create-home", "--shell", "/bin/bash", "--comment", "Kiosk browser",
            "kiosk"] in commands
    assert ["systemctl", "mask", "sleep.target", "suspend.target", "hibernate.target",
            "hybrid-sleep.target"] in commands
    assert ["lpadmin", "-p", "TICKETS", "-E", "-v", "socket://192.168.1.50:9100",
            "-P", "/opt/pos80/pos80.ppd"] in commands
    assert ["lpadmin", "-d", "TICKETS"] in commands

    for name in ("kiosk-browser", "kiosk-session"):
        installed = root / "usr/local/bin" / name
        assert installed.read_text() == (KIT / name).read_text()
        assert installed.stat().st_mode & 0o777 == 0o755
    autologin = (root / "etc/systemd/system/getty@tty1.service.d/autologin.conf").read_text()
    assert "ExecStart=\n" in autologin and "--autologin kiosk" in autologin
    profile = (root / "home/kiosk/.bash_profile").read_text()
    assert "exec startx /usr/local/bin/kiosk-session" in profile and "/dev/tty1" in profile
    policy = json.loads((root / "etc/chromium/policies/managed/kiosk.json").read_text())
    assert policy["TranslateEnabled"] is False and policy["PrintPreviewUseSystemDefaultPrinter"]
    assert "IdleAction=ignore" in (root / "etc/systemd/logind.conf.d/kiosk.conf").read_text()

    # The config it wrote, read by the launcher it installed, opens the kiosk page.
    command = dry_command(root / "etc/default/kiosk-browser")
    assert KIOSK_FLAGS <= set(command)
    assert "--user-data-dir=/home/kiosk/kiosk-profile" in command
    assert command[-1] == SERVER + "/kiosk"


def test_install_tv_writes_the_board_address_and_installs_sound(tmp_path):
    root = tmp_path / "root"
    result = install("--server", SERVER, "--role", "tv", "--site", "DEMO", "--desks", "3,4",
                     "--root", str(root))
    assert result.returncode == 0, result.stderr
    install_line = next(c for c in steps(result.stdout) if "install" in c and "-y" in c)
    assert "pipewire-pulse" in install_line and "cups" not in install_line
    assert not any(c[0] == "lpadmin" for c in steps(result.stdout))
    command = dry_command(root / "etc/default/kiosk-browser")
    assert AUTOPLAY in command
    assert command[-1] == SERVER + "/display?site=DEMO&desks=3,4"


def test_bare_dry_run_prints_the_files_instead_of_writing_them():
    result = install("--server", SERVER, "--role", "kiosk")
    assert result.returncode == 0, result.stderr
    assert "+ write /etc/default/kiosk-browser (mode 644):" in result.stdout
    assert f'    SERVER="{SERVER}"' in result.stdout
    assert "+ install -m 755" in result.stdout and "/usr/local/bin/kiosk-browser" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "kiosk"], "--server must be"),
    (["--server", SERVER, "--role", "tv"], "--role tv needs --site"),
    (["--server", SERVER, "--role", "screen"], "--role must be kiosk or tv"),
    (["--server", SERVER, "--role", "tv", "--site", "DEMO", "--desks", "1;2"], "--desks"),
    (["--server", SERVER, "--role", "kiosk", "--printer", "TICKETS",
      "--printer-uri", "usb://x"], "--printer-ppd FILE or --printer-model"),
    (["--server", SERVER, "--role", "kiosk", "--printer", "TICKETS"], "--printer-uri"),
    (["--server", SERVER, "--role", "kiosk", "--printer-uri", "usb://x"], "go with --printer"),
])
def test_install_refuses_bad_options_before_doing_anything(tmp_path, args, message):
    result = install(*args, "--root", str(tmp_path / "root"))
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "root").exists()
