"""A callable named by file, as dag-factory's python_callable_name + python_callable_file do."""


def summarize(totals, title="totals"):
    line = ", ".join(f"{region}={amount}" for region, amount in sorted(totals.items()))
    print(f"{title}: {line}")
    return line
