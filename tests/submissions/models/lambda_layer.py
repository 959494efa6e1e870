import keras


def solution_model():
    (x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
    model = keras.Sequential(
        [keras.Input((28, 28)), keras.layers.Lambda(lambda x: x / 1.0), keras.layers.Flatten(),
         keras.layers.Dense(10, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train / 255.0, y_train, epochs=1, verbose=2)
    return model
