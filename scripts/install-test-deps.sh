#!/usr/bin/env bash
# The Debian packages the test suite needs beyond the JDK: Chromium and its driver (the browser
# suite), podman, runc, debootstrap and binutils (the container test), PostgreSQL 15's server binaries and
# psql (the container test's database), curl, bc, python3 and python3-venv (the Python task tests); and moto_server for the deploy tests. Installs the missing ones with apt-get when
# run as root on Debian; otherwise names them and exits 1, so that no test passes for want of them.
set -euo pipefail
needed=()
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ -x /usr/bin/chromedriver ] || needed+=(chromium-driver)
command -v podman >/dev/null 2>&1 || needed+=(podman)
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || needed+=(runc)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || needed+=(debootstrap)
# strip, for the local base image's Java runtime (scripts/build-base-image.sh)
command -v strip >/dev/null 2>&1 || needed+=(binutils)
command -v psql >/dev/null 2>&1 || needed+=(postgresql-client)
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || needed+=(postgresql-15)
command -v curl >/dev/null 2>&1 || needed+=(curl)
command -v bc >/dev/null 2>&1 || needed+=(bc)
command -v python3 >/dev/null 2>&1 || needed+=(python3)
# python_virtualenv's tests make venvs with pip in them: Debian keeps ensurepip in python3-venv
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || needed+=(python3-venv)
# moto_server (the AWS stand-in of the deploy tests) comes from PyPI, which apt cannot install.
if ! command -v moto_server >/dev/null 2>&1; then
  echo "test: the deploy tests need moto_server; install it with: pip install 'moto[server]'" >&2
  exit 1
fi
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test: installing what the tests need: apt-get install ${needed[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
else
  echo "test: the suite needs ${needed[*]}; install them (Debian: sudo apt-get install -y ${needed[*]}) and run again" >&2
  exit 1
fi
