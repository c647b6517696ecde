print("riskscreen")
