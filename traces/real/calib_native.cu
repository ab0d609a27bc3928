// Native calibration probe for nvghost (issue 15, item 5): launch-to-
// completion of an empty kernel and the cost of a null system call, in one
// process on the same machine, so that their ratio can be quoted.
//
// Build: nvcc -O2 -arch=sm_90 -o calib_native calib_native.cu
// Run:   ./calib_native [spin|blocking] [iterations]   (prints one JSON object)
//   spin     default device flags (cudaDeviceScheduleAuto: the host spins
//            or yields while it waits)
//   blocking cudaDeviceScheduleBlockingSync: the waiting thread sleeps
//            until the GPU's completion interrupt wakes it (the analogue of
//            waiting on a DRM fence)
// Only reads the GPU's state; changes no device setting beyond its own
// context's scheduling flag.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

__global__ void empty_kernel() {}

#define CK(x)                                                              \
	do {                                                               \
		cudaError_t e_ = (x);                                      \
		if (e_ != cudaSuccess) {                                   \
			fprintf(stderr, "%s:%d: %s: %s\n", __FILE__,       \
				__LINE__, #x, cudaGetErrorString(e_));     \
			exit(1);                                           \
		}                                                          \
	} while (0)

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static bool first_stat = true;

static void pstat(const char *name, std::vector<double> &v)
{
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	double sum = 0;
	for (double x : v)
		sum += x;
	auto at = [&](double p) { return v[std::min(n - 1, (size_t)(p * (n - 1) + 0.5))]; };
	printf("%s\"%s\": {\"n\": %zu, \"min\": %.1f, \"p50\": %.1f, \"p90\": %.1f, "
	       "\"p99\": %.1f, \"max\": %.1f, \"mean\": %.1f}",
	       first_stat ? "" : ",\n ", name, n, v[0], at(0.5), at(0.9), at(0.99),
	       v[n - 1], sum / n);
	first_stat = false;
}

int main(int argc, char **argv)
{
	bool blocking = argc > 1 && !strcmp(argv[1], "blocking");
	int n = argc > 2 ? atoi(argv[2]) : 20000;
	const int batch = 1000;

	if (blocking)
		CK(cudaSetDeviceFlags(cudaDeviceScheduleBlockingSync));
	CK(cudaSetDevice(0));
	cudaStream_t s;
	CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
	cudaEvent_t e0, e1;
	CK(cudaEventCreate(&e0));
	CK(cudaEventCreate(&e1));
	for (int i = 0; i < 2000; i++) {
		empty_kernel<<<1, 1, 0, s>>>();
		CK(cudaGetLastError());
	}
	CK(cudaStreamSynchronize(s));

	cudaDeviceProp prop;
	CK(cudaGetDeviceProperties(&prop, 0));
	int drv = 0, rt = 0;
	CK(cudaDriverGetVersion(&drv));
	CK(cudaRuntimeGetVersion(&rt));
	printf("{\"device\": \"%s\", \"sm_count\": %d, \"cuda_driver_api\": %d, "
	       "\"cuda_runtime\": %d, \"mode\": \"%s\", \"units\": \"ns\",\n ",
	       prop.name, prop.multiProcessorCount, drv, rt,
	       blocking ? "blocking" : "spin");

	std::vector<double> v(n);

	// 1. empty kernel<<<1,1>>>: launch call to cudaStreamSynchronize return
	for (int i = 0; i < n; i++) {
		double t0 = now_ns();
		empty_kernel<<<1, 1, 0, s>>>();
		CK(cudaStreamSynchronize(s));
		v[i] = now_ns() - t0;
	}
	CK(cudaGetLastError());
	pstat("empty_kernel_launch_to_sync_return", v);

	// 2. the launch call alone (returns before the kernel runs)
	for (int i = 0; i < n; i++) {
		double t0 = now_ns();
		empty_kernel<<<1, 1, 0, s>>>();
		v[i] = now_ns() - t0;
		CK(cudaStreamSynchronize(s));
	}
	CK(cudaGetLastError());
	pstat("launch_call_only", v);

	// 3. GPU-side: event before and after one empty kernel
	for (int i = 0; i < n; i++) {
		float ms;

		CK(cudaEventRecord(e0, s));
		empty_kernel<<<1, 1, 0, s>>>();
		CK(cudaEventRecord(e1, s));
		CK(cudaEventSynchronize(e1));
		CK(cudaEventElapsedTime(&ms, e0, e1));
		v[i] = ms * 1e6;
	}
	CK(cudaGetLastError());
	pstat("empty_kernel_event_to_event", v);

	// 4. back-to-back: batch launches, one sync; per-kernel time
	std::vector<double> b2b(n / batch);
	for (size_t r = 0; r < b2b.size(); r++) {
		double t0 = now_ns();
		for (int i = 0; i < batch; i++)
			empty_kernel<<<1, 1, 0, s>>>();
		CK(cudaStreamSynchronize(s));
		b2b[r] = (now_ns() - t0) / batch;
	}
	CK(cudaGetLastError());
	pstat("empty_kernel_back_to_back_per_kernel", b2b);

	// 4b. same, GPU-side by events: what one more kernel costs the GPU
	for (size_t r = 0; r < b2b.size(); r++) {
		float ms;

		CK(cudaEventRecord(e0, s));
		for (int i = 0; i < batch; i++)
			empty_kernel<<<1, 1, 0, s>>>();
		CK(cudaEventRecord(e1, s));
		CK(cudaEventSynchronize(e1));
		CK(cudaEventElapsedTime(&ms, e0, e1));
		b2b[r] = ms * 1e6 / batch;
	}
	CK(cudaGetLastError());
	pstat("empty_kernel_back_to_back_event_per_kernel", b2b);

	// 5. null system call: syscall(SYS_getppid), per call, batches of 1000
	std::vector<double> sc(1000);
	for (size_t r = 0; r < sc.size(); r++) {
		double t0 = now_ns();
		for (int i = 0; i < batch; i++)
			syscall(SYS_getppid);
		sc[r] = (now_ns() - t0) / batch;
	}
	pstat("null_syscall_getppid_per_call", sc);

	// 6. clock_gettime (vDSO, no kernel entry) for reference
	for (size_t r = 0; r < sc.size(); r++) {
		struct timespec ts;
		double t0 = now_ns();
		for (int i = 0; i < batch; i++)
			clock_gettime(CLOCK_MONOTONIC, &ts);
		sc[r] = (now_ns() - t0) / batch;
	}
	pstat("clock_gettime_per_call", sc);
	printf("}\n");
	CK(cudaStreamDestroy(s));
	return 0;
}
