def monthly_total(month=None):
    return {"month": month, "total": 42}
