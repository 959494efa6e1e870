# 2020년 코드: Adam(lr=..., decay=...) — tf-keras의 새 옵티마이저도 decay는 받지 않는다
import tensorflow as tf
from tensorflow.keras.optimizers import Adam

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
x_train = x_train / 255.0

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(10, activation='softmax'),
])
# 학습률 감쇠를 옛 방식으로
model.compile(optimizer=Adam(lr=0.001, decay=1e-6), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=1, batch_size=64)
