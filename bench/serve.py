#!/usr/bin/env python3
"""Save-to-reload latency of `kiosk serve` and `hugo server` for a one-word edit of one post.

For each tool: start the dev server on a synthetic site (../shared/bench/gen_site.py), then
repeatedly replace one word of one post's body and measure
  - kiosk: time from the file write to the live-reload event on /__kiosk/events, and
  - both:  time from the file write until the served page contains the new word (polled every 2 ms).
Usage: bench/serve.py [sizes...]   (default 1000 10000)
"""
import os, re, shutil, socket, statistics, subprocess, sys, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "shared", "bench", "gen_site.py")
KIOSK = os.path.join(HERE, "..", "target", "release", "kiosk")
WORK = os.environ.get("BENCH_DIR", "/tmp/kiosk-serve-bench")
ROUNDS = 7


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_until(pred, timeout=300):
    t = time.time()
    while time.time() - t < timeout:
        if pred():
            return True
        time.sleep(0.05)
    return False


def pick_post(site, n):
    d = os.path.join(site, "content", "posts")
    name = sorted(os.listdir(d))[n // 2]
    return os.path.join(d, name), re.sub(r"\.md$", "", name)


def edit(path, old, new):
    text = open(path, encoding="utf-8").read()
    head, sep, body = text.partition("\n---\n")
    head2, sep2, body2 = body.partition("\n")  # keep the first body line
    body = body.replace(old, new, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + sep + body)


def word_in(path):
    body = open(path, encoding="utf-8").read().split("\n---\n", 1)[1]
    for w in re.findall(r"\b([A-Za-z]{6,})\b", body):
        return w
    raise SystemExit("no word to edit")


def measure(name, url_page, path, sse=None):
    event_ms, visible_ms = [], []
    current = word_in(path)
    for i in range(ROUNDS):
        new = f"kioskword{i}x"
        if sse:
            sse.settimeout(10)
        t0 = time.perf_counter()
        edit(path, current, new)
        current = new
        if sse:
            buf = b""
            while b"event:" not in buf:
                buf += sse.recv(4096)
            event_ms.append((time.perf_counter() - t0) * 1000)
        while new not in fetch(url_page):
            time.sleep(0.002)
            if time.perf_counter() - t0 > 60:
                raise SystemExit(f"{name}: edit never showed up")
        visible_ms.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.3)
    return event_ms, visible_ms


def kiosk(n):
    site = os.path.join(WORK, f"kiosk-{n}")
    subprocess.run([sys.executable, GEN, "--posts", str(n), "--flavor", "kiosk", "--out", site, "--force"], check=True, stdout=subprocess.DEVNULL)
    path, slug = pick_post(site, n)
    p = subprocess.Popen([KIOSK, "-q", "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = p.stdout.readline().strip()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    sse = socket.create_connection(("127.0.0.1", port))
    sse.sendall(f"GET /__kiosk/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    sse.recv(4096)
    try:
        ev, vis = measure("kiosk", f"{url}posts/{slug}/", path, sse)
    finally:
        p.terminate()
        p.wait()
    return ev, vis


def hugo(n):
    site = os.path.join(WORK, f"hugo-{n}")
    subprocess.run([sys.executable, GEN, "--posts", str(n), "--flavor", "hugo", "--out", site, "--force"], check=True, stdout=subprocess.DEVNULL)
    path, slug = pick_post(site, n)
    port = free_port()
    p = subprocess.Popen(["hugo", "server", "-s", site, "--port", str(port), "--bind", "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/", "--disableFastRender=false"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = f"http://127.0.0.1:{port}/posts/{slug}/"
    if not wait_until(lambda: "<html" in fetch(page)):
        p.terminate()
        raise SystemExit("hugo server did not come up")
    try:
        _, vis = measure("hugo", page, path)
    finally:
        p.terminate()
        p.wait()
    return vis


def fmt(xs):
    return f"median {statistics.median(xs):7.1f} ms  (min {min(xs):.1f}, max {max(xs):.1f}, n={len(xs)})"


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    os.makedirs(WORK, exist_ok=True)
    if not shutil.which("hugo"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=os.path.join(HERE, ".."), check=True)
    for n in sizes:
        ev, vis = kiosk(n)
        print(f"kiosk serve {n:>6} posts: save -> reload event  {fmt(ev)}")
        print(f"kiosk serve {n:>6} posts: save -> page updated  {fmt(vis)}")
        hv = hugo(n)
        print(f"hugo server {n:>6} posts: save -> page updated  {fmt(hv)}")
        print(f"  kiosk is {statistics.median(hv) / statistics.median(vis):.0f}x faster to show the edit")


if __name__ == "__main__":
    main()
