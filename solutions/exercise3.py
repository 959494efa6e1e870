"""Reference solution for exercise3 (scaler-order), in the scikit-learn style learners use."""

from sklearn.preprocessing import MinMaxScaler, StandardScaler


def scale(x_train, x_val, x_test, kind="minmax"):
    scaler = {"minmax": MinMaxScaler, "standard": StandardScaler}[kind]()
    scaler.fit(x_train)  # statistics from the training set only
    return scaler.transform(x_train), scaler.transform(x_val), scaler.transform(x_test)
