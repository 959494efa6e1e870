from sklearn.preprocessing import MinMaxScaler, StandardScaler


def scale(x_train, x_val, x_test, kind="minmax"):
    make = MinMaxScaler if kind == "minmax" else StandardScaler
    return tuple(make().fit_transform(x) for x in (x_train, x_val, x_test))  # each on its own scale
