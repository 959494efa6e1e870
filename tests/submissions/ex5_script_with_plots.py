# A bootcamp-style script: prints, a plot with plt.show(), iris from scikit-learn, a main block.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris

iris = load_iris().data
print("iris shape:", iris.shape)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError(f"size {size} out of range")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


windows = split_x(iris, 5)
print("windows:", windows.shape)
plt.plot(iris[:, 0])
plt.title("sepal length")
plt.show()

if __name__ == "__main__":
    while True:  # must never run while grading
        pass
