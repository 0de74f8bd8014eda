"""Credit supervision (信用监管): credit records of infringers, their publication periods, the
public credit query, and checks by other departments for joint punishment (联合惩戒)."""
