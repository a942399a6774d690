#!/usr/bin/env bash
# Refresh the zh-Hans catalogue: Qudao's own strings plus django-unfold's (unfold ships no Chinese),
# keeping existing translations, then compile. Needs GNU gettext (apt-get install gettext).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=qudao.config.settings QUDAO_TESTING=1
cd "$root/src/qudao"
"$py" -m django makemessages -l zh_Hans --no-obsolete -v 0
"$py" -m django makemessages -l zh_Hans -d djangojs --no-obsolete -v 0 || true

# unfold's template and Python strings, extracted from the installed package
unfold_dir=$("$py" -c 'import os, unfold; print(os.path.dirname(unfold.__file__))')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$unfold_dir" "$tmp/unfold"
mkdir -p "$tmp/locale"
(cd "$tmp" && "$py" -m django makemessages -l zh_Hans --symlinks -v 0)
po="$root/src/qudao/locale/zh_Hans/LC_MESSAGES/django.po"
# add unfold's msgids that Qudao's catalogue does not have yet (ours win on conflicts)
msgcat --use-first "$po" "$tmp/locale/zh_Hans/LC_MESSAGES/django.po" -o "$po.new"
mv "$po.new" "$po"
"$py" -m django compilemessages -l zh_Hans -v 0
echo "untranslated: $(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid' || true)"
