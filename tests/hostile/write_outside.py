# exercise: nms
# tries: write into the user's folder, PREP_HOME and the installed package
for path in ("@@USER_DIR@@/pwned-@@MARK@@", "@@PREP_HOME@@/pwned-@@MARK@@",
             "@@PKG_DIR@@/pwned_@@MARK@@.py"):
    try:
        with open(path, "w") as f:
            f.write("def nms(*a):\n    return 'every later grade passes'\n")
    except OSError as e:
        print("blocked", path, e.strerror)
