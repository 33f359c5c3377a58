package detect

// ProcessCPU exposes processCPU to the external test package.
var ProcessCPU = processCPU

// RealMatchIoU is realMatchIoU for the external tests.
const RealMatchIoU = realMatchIoU
